import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { FormSubmission, Lead } from "../../models";
import type { ReconcileStep } from "../../jobs/reconciler";
import type { TenantContext } from "../../tenancy/context";
import { acrossBusinesses, businessScope, tenantWhere } from "../../tenancy/scope";
import { publishEvent } from "../../webhooks/publish";
import { recordEvents } from "../customers/timeline";
import { completeCapturedLead, type CapturedOwner } from "../leads/captured";
import { recomputeLeadScore } from "../leads/scoring";
import { notify } from "../notifications";
import { parseFields } from "./fields";
import { presentSubmission } from "./present";
import { again, resolveSubmission } from "./resolve";
import { followUpJobId } from "./submit";

/**
 * The work a public submission leaves for later (submit.ts saves only the submission): in one
 * transaction that first claims the submission (processed_at set where it was empty — a second
 * run of the job claims nothing and changes nothing), what it becomes (resolve.ts: a new lead, or
 * the lead or customer with its phone or e-mail), the new lead's owner,
 * timeline entry, score and lead.created event; a returning lead's "Sent the form" entry, latest
 * answers and new score; a customer's timeline entry; the form's counter and the form.submitted
 * event. Then the owner (or the business owner) is notified in the app — every run does that,
 * and the notification's key keeps it to one, so a job that stopped after its commit still
 * notifies when retried.
 */
export async function followUpSubmission(
  deps: Deps,
  ctx: TenantContext,
  submissionId: number,
): Promise<void> {
  const { FormSubmission, Form } = deps.models;
  const scope = businessScope(ctx.business.id);
  // Run again whole when it loses a unique phone or e-mail to a simultaneous submission of the
  // same person (it then attaches), or SQLite's stale snapshot (resolve.ts).
  const settled = await again(() =>
    deps.sequelize.transaction(async (transaction): Promise<Settled | null> => {
      const [claimed] = await FormSubmission.update(
        { processedAt: deps.clock.now() },
        {
          where: tenantWhere(scope, FormSubmission, { id: submissionId, processedAt: null }),
          transaction,
        },
      );
      if (claimed === 0) return null;
      const submission = await FormSubmission.findOne({
        where: tenantWhere(scope, FormSubmission, { id: submissionId }),
        transaction,
      });
      const form = submission
        ? await Form.findOne({
            where: tenantWhere(scope, Form, { id: submission.formId }),
            transaction,
          })
        : null;
      if (!submission || !form) return null;
      const inserted = await resolveSubmission(deps, form, submission, transaction);
      const lead = await touchTarget(deps, ctx, submission, ownerRule(form), transaction, inserted);
      await publishEvent(
        deps,
        ctx,
        "form.submitted",
        {
          form: { id: form.id, slug: form.slug, title: form.title },
          ...presentSubmission(submission, parseFields(form.fields)),
        },
        { transaction },
      );
      // Last before the commit: the form's row stays locked until then, and every visitor's
      // INSERT of a submission reads it (its foreign key) and would wait.
      await Form.increment("submissionCount", {
        by: 1,
        where: tenantWhere(scope, Form, { id: form.id }),
        transaction,
        silent: true,
      });
      return { submission, formTitle: form.title, lead };
    }),
  );
  // Idempotent (one notification per submission): run again when SQLite is busy. A run that
  // claimed nothing (a retry after the commit) reads what it needs.
  await again(() => notifyOf(deps, ctx, submissionId, settled ?? undefined));
}

function ownerRule(form: { assignment: string; assigneeId: number | null }): CapturedOwner {
  if (form.assignment === "round_robin") return { kind: "round_robin" };
  if (form.assignment === "member" && form.assigneeId !== null)
    return { kind: "member", userId: form.assigneeId };
  return { kind: "none" };
}

/** What the follow-up's transaction settled, for the notification after it. */
interface Settled {
  submission: FormSubmission;
  formTitle: string;
  /** The new lead as completed (owner, score); null when the submission attached. */
  lead: Lead | null;
}

/** What the submission went to, brought up to date (see followUpSubmission). */
async function touchTarget(
  deps: Deps,
  ctx: TenantContext,
  submission: FormSubmission,
  owner: CapturedOwner,
  transaction: Parameters<typeof completeCapturedLead>[5],
  inserted: Lead | null,
): Promise<Lead | null> {
  const { Lead, LeadEvent } = deps.models;
  const details = {
    formId: submission.formId,
    submissionId: submission.id,
  };
  if (submission.outcome === "created_lead" && submission.leadId !== null) {
    return completeCapturedLead(
      deps,
      ctx,
      submission.leadId,
      owner,
      submission.createdAt,
      transaction,
      inserted ?? undefined,
    );
  } else if (submission.outcome === "attached_lead" && submission.leadId !== null) {
    await LeadEvent.create(
      {
        businessId: ctx.business.id,
        leadId: submission.leadId,
        actorId: null,
        kind: "form_submitted",
        details: JSON.stringify(details),
        createdAt: submission.createdAt,
      },
      { transaction },
    );
    await Lead.update(
      { answers: submission.answers, updatedAt: deps.clock.now() },
      { where: tenantWhere(ctx, Lead, { id: submission.leadId }), transaction },
    );
    // The new answers and the "Sent the form" entry are what answer and engagement rules read.
    await recomputeLeadScore(deps, ctx.business.id, submission.leadId, transaction);
  } else if (submission.outcome === "attached_customer" && submission.customerId !== null) {
    await recordEvents(
      deps,
      ctx,
      [{ customerId: submission.customerId, kind: "form_submitted", details }],
      transaction,
    );
  }
  return null;
}

/** The in-app notification of a processed submission (stored once per submission). */
async function notifyOf(
  deps: Deps,
  ctx: TenantContext,
  submissionId: number,
  settled?: Settled,
): Promise<void> {
  const { FormSubmission, Form, Lead, Customer, Ticket } = deps.models;
  const scope = businessScope(ctx.business.id);
  const submission =
    settled?.submission ??
    (await FormSubmission.findOne({
      where: tenantWhere(scope, FormSubmission, { id: submissionId }),
    }));
  if (!submission) return;
  const formTitle =
    settled?.formTitle ??
    (
      await Form.findOne({
        where: tenantWhere(scope, Form, { id: submission.formId }),
        attributes: ["title"],
      })
    )?.title;
  let who: { ownerId: number | null; name: string } | null = null;
  let link = "";
  if (submission.leadId !== null) {
    const lead =
      settled?.lead ??
      (await Lead.findOne({
        where: tenantWhere(scope, Lead, { id: submission.leadId }),
        attributes: ["ownerId", "firstName", "lastName"],
      }));
    if (lead)
      who = {
        ownerId: lead.ownerId,
        name: [lead.firstName, lead.lastName].filter(Boolean).join(" "),
      };
    link = `/leads/${submission.leadId}`;
  } else if (submission.customerId !== null) {
    const customer = await Customer.findOne({
      where: tenantWhere(scope, Customer, { id: submission.customerId }),
      attributes: ["ownerId", "name"],
    });
    if (customer) who = { ownerId: customer.ownerId, name: customer.name };
    link = `/customers/${submission.customerId}`;
  } else if (submission.ticketId !== null) {
    const ticket = await Ticket.findOne({
      where: tenantWhere(scope, Ticket, { id: submission.ticketId }),
      attributes: ["assigneeId", "subject"],
    });
    if (ticket) who = { ownerId: ticket.assigneeId, name: ticket.subject };
    link = `/tickets/${submission.ticketId}`;
  }
  if (!who) return;
  const what =
    submission.outcome === "created_lead"
      ? "New lead"
      : submission.outcome === "ticket"
        ? "New ticket"
        : "Returning visitor";
  await notify(deps.models, [
    {
      businessId: ctx.business.id,
      userId: who.ownerId ?? ctx.business.ownerId,
      kind: "form_submission",
      title: `${what} from ${formTitle ?? "a form"}: ${who.name}`.slice(0, 200),
      link,
      dedupeKey: `form-submission:${submission.id}`,
    },
  ]);
}

/** How many owed follow-ups one reconcile pass queues again. */
const followUpReconcileBatch = 500;

/**
 * Submissions whose follow-up is still owed (the job was lost with Redis, or never queued) are
 * queued again; a job still queued under the same id is not added twice, and one that already
 * ran claims nothing.
 */
export const formFollowUpStep: ReconcileStep = {
  name: "form-follow-ups",
  async run(context) {
    const owed = await context.models.FormSubmission.findAll({
      where: acrossBusinesses("the reconciler re-queues every business's owed form follow-ups", {
        processedAt: null,
        // Younger ones are most likely still on their way through the queue.
        createdAt: { [Op.lt]: new Date(context.now.getTime() - 60_000) },
      }),
      attributes: ["id", "businessId"],
      order: [["id", "ASC"]],
      limit: followUpReconcileBatch,
    });
    for (const submission of owed) {
      await context.jobs.dispatchOwed(
        "follow-up-form-submission",
        { businessId: submission.businessId, userId: null, submissionId: submission.id },
        { jobId: followUpJobId(submission.id) },
      );
    }
    return owed.length;
  },
};
