import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { FieldErrors } from "../../lib/forms";
import { outsideRequest } from "../../lib/requestTiming";
import type { Form, FormSubmission } from "../../models";
import { loadTenantContext } from "../../tenancy/loader";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { createTicket } from "../tickets/create";
import {
  leadFieldsOf,
  readAnswers,
  readTracking,
  sentValues,
  trackingFields,
  type Answers,
  type Tracking,
} from "./answers";
import type { PublicForm } from "./formCacheStore";
import { again, existingContact } from "./resolve";
import { checkFormToken, honeypotField, tokenField } from "./spam";

/** A saved submission: enough to queue its follow-up. */
type Received = Pick<FormSubmission, "id" | "businessId">;

/** What became of a visitor's POST. */
export type SubmitResult =
  | { kind: "accepted"; submission: Received }
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
      : await receiveLead(deps, form, answers, tracking);
  await queueFollowUp(deps, submission);
  return { kind: "accepted", submission };
}

/**
 * A lead form's submission, saved as received: one INSERT, committed on its own. What it becomes
 * — a new lead, or the lead or customer with its phone or e-mail — is decided by its follow-up
 * (resolve.ts), in the transaction that claims it.
 */
async function receiveLead(
  deps: Pick<Deps, "sequelize" | "clock">,
  form: Form,
  answers: Answers,
  tracking: Tracking,
): Promise<Received> {
  const sql = tenantSql(deps, businessScope(form.businessId));
  const id = await sql.insertRow(
    "form_submissions",
    ["form_id", "outcome", "answers", ...trackingFields, "created_at"],
    [
      form.id,
      "received",
      JSON.stringify(answers),
      ...trackingFields.map((name) => tracking[name]),
      deps.clock.now(),
    ],
  );
  return { id, businessId: form.businessId };
}

type Target = { outcome: "ticket"; id: number };

/** The submission row, follow-up owed (processed_at stays empty until followUp.ts has run). */
function insertSubmission(
  deps: Pick<Deps, "models">,
  form: Form,
  target: Target,
  answers: Answers,
  tracking: Tracking,
  at: Date,
): Promise<FormSubmission> {
  return deps.models.FormSubmission.create({
    businessId: form.businessId,
    formId: form.id,
    outcome: target.outcome,
    leadId: null,
    customerId: null,
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
  });
}

/** The follow-up's job id: one per submission, so a second queueing of it is ignored. */
export const followUpJobId = (submissionId: number) => `form-submission-${submissionId}`;

/**
 * Queues the follow-up. Never fails the visitor: their submission is saved, and a job the queue
 * could not take is queued again by the reconciler from the row (or handed over from the outbox).
 */
async function queueFollowUp(deps: Deps, submission: Received): Promise<void> {
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
