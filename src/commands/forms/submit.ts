import { UniqueConstraintError, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { FieldErrors } from "../../lib/forms";
import { outsideRequest } from "../../lib/requestTiming";
import type { Form, FormSubmission } from "../../models";
import { loadTenantContext } from "../../tenancy/loader";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { insertCapturedLead } from "../leads/captured";
import { createTicket } from "../tickets/create";
import {
  leadFieldsOf,
  readAnswers,
  readTracking,
  sentValues,
  type Answers,
  type Tracking,
} from "./answers";
import type { PublicForm } from "./formCacheStore";
import { checkFormToken, honeypotField, tokenField } from "./spam";

/** What became of a visitor's POST. */
export type SubmitResult =
  | { kind: "accepted"; submission: FormSubmission }
  /** Counted on the form, not stored; the visitor sees the same thanks a person would. */
  | { kind: "spam"; reason: "honeypot" | "too_fast" | "invalid_token" }
  /** A page left open too long: shown again with a fresh token, nothing lost but a click. */
  | { kind: "expired"; values: Record<string, string | string[]> }
  | { kind: "invalid"; errors: FieldErrors; values: Record<string, string | string[]> };

/** Adds one to the form's spam counter (one UPDATE; nothing of the spam is kept). */
export async function countSpam(deps: Pick<Deps, "models">, form: Form): Promise<void> {
  await deps.models.Form.increment("spamCount", {
    by: 1,
    where: tenantWhere(businessScope(form.businessId), deps.models.Form, { id: form.id }),
  });
}

/**
 * A visitor's submission of a published form: the honeypot and the signed fill-time token first
 * (spam is counted, never stored), then every field's answer; then the answers become a lead (or
 * attach to the lead or customer with the same phone or e-mail), or a ticket for a support form.
 *
 * The visitor waits only for what must be durable: the lead (when new) and the submission row,
 * in one transaction — five statements with the form cached (formCache.ts). Everything else —
 * the owner's turn, the score, timeline entries, webhooks, the form's counter and the
 * notification — is the submission's follow-up job (followUp.ts), queued after the commit. The
 * submission row records it as owed (processed_at empty) until the job has run, so a job the
 * queue lost is queued again by the reconciler (followUpStep) and nothing is lost.
 */
export async function submitForm(
  deps: Deps,
  target: PublicForm,
  body: Record<string, unknown>,
): Promise<SubmitResult> {
  const { form, fields, business } = target;
  const honeypot = body[honeypotField];
  if (typeof honeypot !== "string" || honeypot !== "") {
    await countSpam(deps, form);
    return { kind: "spam", reason: "honeypot" };
  }
  const verdict = checkFormToken(deps.config, form.id, body[tokenField], deps.clock.now());
  if (verdict === "invalid" || verdict === "too_fast") {
    await countSpam(deps, form);
    return { kind: "spam", reason: verdict === "invalid" ? "invalid_token" : "too_fast" };
  }
  if (verdict === "expired") return { kind: "expired", values: sentValues(fields, body) };
  const { answers, errors } = readAnswers(fields, body, business.country);
  if (Object.keys(errors).length > 0)
    return { kind: "invalid", errors, values: sentValues(fields, body) };
  const tracking = readTracking(body);
  const submission =
    form.kind === "support"
      ? await openTicket(deps, target, answers, tracking)
      : await bringInLead(deps, target, answers, tracking);
  await queueFollowUp(deps, submission);
  return { kind: "accepted", submission };
}

type Found =
  { outcome: "attached_lead"; id: number } | { outcome: "attached_customer"; id: number };

interface ContactRow {
  kind: "lead" | "customer";
  id: number | string;
}

/**
 * The lead, else the customer, with the submission's phone or e-mail (whole business), in one
 * statement on the (business_id, phone_e164) and (business_id, email) indexes of both tables.
 */
export async function existingContact(
  deps: Pick<Deps, "sequelize">,
  businessId: number,
  contact: { email?: string | null; phoneE164?: string | null },
  transaction?: Transaction,
): Promise<Found | null> {
  const phone = contact.phoneE164 ?? null;
  const email = contact.email ?? null;
  if (!phone && !email) return null;
  const sql = tenantSql(deps, businessScope(businessId), transaction);
  const rows = await sql.select<ContactRow>`
    SELECT 'lead' AS kind, l.id FROM leads l
     WHERE ${sql.scoped("l")} AND (l.phone_e164 = ${phone} OR l.email = ${email})
    UNION ALL
    SELECT 'customer' AS kind, c.id FROM customers c
     WHERE ${sql.scoped("c")} AND (c.phone_e164 = ${phone} OR c.email = ${email})`;
  // The oldest lead first (a phone on one lead and the e-mail on another: the first one made).
  const first = (kind: ContactRow["kind"]) =>
    rows
      .filter((r) => r.kind === kind)
      .map((r) => Number(r.id))
      .sort((a, b) => a - b)[0];
  const lead = first("lead");
  if (lead !== undefined) return { outcome: "attached_lead", id: lead };
  const customer = first("customer");
  return customer !== undefined ? { outcome: "attached_customer", id: customer } : null;
}

/**
 * SQLite (embedded mode) lets one transaction write at a time, and a transaction that read before
 * another committed cannot write after it (its snapshot is stale): retrying the statement cannot
 * help, the whole step must run again. A unique phone or e-mail lost to a simultaneous
 * submission of the same person runs it again too: the next run finds that lead and attaches.
 */
async function again<T>(step: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      // SQLite's stale snapshot, or a deadlock MariaDB rolled back: both ask to run it again.
      const busy =
        error instanceof UniqueConstraintError ||
        (error instanceof Error && /SQLITE_BUSY|Deadlock found/.test(error.message));
      if (!busy || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

type Target = Found | { outcome: "created_lead" | "ticket"; id: number };

/** The submission row, follow-up owed (processed_at stays empty until followUp.ts has run). */
function insertSubmission(
  deps: Pick<Deps, "models">,
  form: Form,
  target: Target,
  answers: Answers,
  tracking: Tracking,
  at: Date,
  transaction?: Transaction,
): Promise<FormSubmission> {
  return deps.models.FormSubmission.create(
    {
      businessId: form.businessId,
      formId: form.id,
      outcome: target.outcome,
      leadId:
        target.outcome === "created_lead" || target.outcome === "attached_lead" ? target.id : null,
      customerId: target.outcome === "attached_customer" ? target.id : null,
      ticketId: target.outcome === "ticket" ? target.id : null,
      answers: JSON.stringify(answers),
      utmSource: tracking.utm_source,
      utmMedium: tracking.utm_medium,
      utmCampaign: tracking.utm_campaign,
      utmTerm: tracking.utm_term,
      utmContent: tracking.utm_content,
      referrer: tracking.referrer,
      landingPage: tracking.landing_page,
      createdAt: at,
    },
    { transaction },
  );
}

/**
 * A lead form's submission: the person is looked up first (outside the transaction, so on SQLite
 * the transaction starts with a write and simply queues); a new person's lead and the submission
 * are then written in one transaction, a returning one's submission alone.
 */
async function bringInLead(
  deps: Deps,
  { form, fields }: PublicForm,
  answers: Answers,
  tracking: Tracking,
): Promise<FormSubmission> {
  const person = leadFieldsOf(fields, answers);
  const at = deps.clock.now();
  return again(async () => {
    const found = await existingContact(deps, form.businessId, person);
    if (found) return insertSubmission(deps, form, found, answers, tracking, at);
    return deps.sequelize.transaction(async (transaction) => {
      const lead = await insertCapturedLead(
        deps,
        form.businessId,
        {
          ...person,
          source: form.source,
          campaignName: form.campaignName,
          utmSource: tracking.utm_source,
          utmMedium: tracking.utm_medium,
          utmCampaign: tracking.utm_campaign,
          utmTerm: tracking.utm_term,
          utmContent: tracking.utm_content,
          referrer: tracking.referrer,
          landingPage: tracking.landing_page,
        },
        answers,
        at,
        transaction,
      );
      const target = { outcome: "created_lead" as const, id: lead.id };
      return insertSubmission(deps, form, target, answers, tracking, at, transaction);
    });
  });
}

/** The follow-up's job id: one per submission, so a second queueing of it is ignored. */
export const followUpJobId = (submissionId: number) => `form-submission-${submissionId}`;

/**
 * Queues the follow-up. Never fails the visitor: their submission is saved, and a job the queue
 * could not take is queued again by the reconciler from the row (or handed over from the outbox).
 */
async function queueFollowUp(deps: Deps, submission: FormSubmission): Promise<void> {
  try {
    // Outside the request's scope: in embedded mode the job runs in this process at once, and
    // its statements are not the visitor's (Server-Timing, the statement budget).
    await outsideRequest(() =>
      deps.jobs.dispatch(
        "follow-up-form-submission",
        { businessId: submission.businessId, userId: null, submissionId: submission.id },
        { jobId: followUpJobId(submission.id) },
      ),
    );
  } catch (err) {
    deps.logger.warn(
      { err, submissionId: submission.id },
      "form follow-up not queued; the reconciler will",
    );
  }
}

/** A support form: a web_form ticket (for the customer with that e-mail or phone, if any). */
async function openTicket(
  deps: Deps,
  { form, fields, business }: PublicForm,
  answers: Answers,
  tracking: Tracking,
): Promise<FormSubmission> {
  const ctx = await loadTenantContext(deps, { businessId: business.id, userId: null });
  if (!ctx) throw AppError.notFound();
  const person = leadFieldsOf(fields, answers);
  const found = await existingContact(deps, business.id, person);
  const customerId = found?.outcome === "attached_customer" ? found.id : null;
  const name = [person.firstName, person.lastName].filter(Boolean).join(" ");
  const message = fields
    .filter((f) => answers[f.key] !== undefined)
    .map((f) => `${f.label}: ${answerText(answers[f.key])}`)
    .join("\n");
  const ticket = await again(() =>
    createTicket(deps, ctx, {
      subject: `${form.title}: ${name}`.slice(0, 200),
      channel: "web_form",
      customerId,
      message,
      fromEmail: person.email ?? null,
    }),
  );
  const target = { outcome: "ticket" as const, id: ticket.id };
  return again(() => insertSubmission(deps, form, target, answers, tracking, deps.clock.now()));
}

/** An answer as one line of text (CSV cells, ticket messages). */
export function answerText(answer: Answers[string] | undefined): string {
  if (answer === undefined) return "";
  if (typeof answer === "boolean") return answer ? "Yes" : "No";
  return Array.isArray(answer) ? answer.join(", ") : answer;
}
