import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { enqueueMail } from "../../integrations/mail/enqueue";
import type { TicketSlaReminderPayload } from "../../jobs/catalog";
import { formatDateTime } from "../../lib/dates";
import type { Ticket } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { notify } from "../notifications";
import { ticketReference } from "./numbering";
import { nextSlaTarget, slaActiveStatuses, type SlaBreach } from "./sla";
import { recordTicketEvents } from "./timeline";

/** One job per ticket, target and due time ("-", never ":"): queuing twice is a no-op. */
export function slaReminderKey(ticketId: number, target: SlaBreach, dueAt: Date | number) {
  const ms = typeof dueAt === "number" ? dueAt : dueAt.getTime();
  return `ticket-sla-${ticketId}-${target}-${ms}`;
}

/** The value of sla_reminded_for once the assignee was told about this target and due time. */
const remindedValue = (target: SlaBreach, dueAt: number) => `${target}:${dueAt}`;

/**
 * Whether the assignee was already told about `target` at `dueAt`. The column keeps the last
 * reminder only; a resolution reminder implies the earlier first-response one.
 */
function wasReminded(ticket: Pick<Ticket, "slaRemindedFor">, target: SlaBreach, dueAt: number) {
  const reminded = ticket.slaRemindedFor;
  if (reminded === remindedValue(target, dueAt)) return true;
  return target === "first_response" && (reminded?.startsWith("resolution:") ?? false);
}

/** The SLA target still owed a reminder, and when it falls due; null when none is. */
export function owedSlaReminder(
  ticket: Pick<
    Ticket,
    "status" | "firstResponseDueAt" | "firstRespondedAt" | "resolutionDueAt" | "slaRemindedFor"
  >,
): { target: SlaBreach; dueAt: Date } | null {
  const next = nextSlaTarget(ticket);
  if (!next) return null;
  if (!wasReminded(ticket, next.target, next.dueAt.getTime())) return next;
  // The first response was reminded and is still owed: the resolution has its own reminder.
  const resolution = ticket.resolutionDueAt;
  if (next.target === "first_response" && resolution)
    return wasReminded(ticket, "resolution", resolution.getTime())
      ? null
      : { target: "resolution", dueAt: resolution };
  return null;
}

/**
 * Queues the reminder of the ticket's next SLA target still owed one, to run when it falls due
 * (at once if already past). Called after every commit that can move a target: creation, a first
 * reply, a priority change, a move back into an active status; and by the reconciler.
 */
export async function scheduleSlaReminder(
  deps: Pick<Deps, "jobs">,
  ticket: Pick<
    Ticket,
    | "id"
    | "businessId"
    | "status"
    | "firstResponseDueAt"
    | "firstRespondedAt"
    | "resolutionDueAt"
    | "slaRemindedFor"
  >,
): Promise<void> {
  const next = owedSlaReminder(ticket);
  if (!next) return;
  await deps.jobs.dispatch(
    "ticket-sla-reminder",
    {
      businessId: ticket.businessId,
      userId: null,
      ticketId: ticket.id,
      target: next.target,
      dueAt: next.dueAt.getTime(),
    },
    { jobId: slaReminderKey(ticket.id, next.target, next.dueAt), runAt: next.dueAt },
  );
}

export type SlaReminderOutcome =
  | "sent"
  | "no_assignee"
  | "ticket_gone"
  | "not_active"
  | "met"
  | "due_changed"
  | "already_reminded";

const targetLabels: Record<SlaBreach, string> = {
  first_response: "first response",
  resolution: "resolution",
};

/**
 * The reminder job's work: re-reads the ticket and stops when it is gone, no longer active, the
 * target was met or moved (that time has its own job) or was already reminded. Otherwise it
 * notifies the assignee in the app and by e-mail (both idempotent), writes the timeline, and
 * marks the target reminded last — a retry after a crash finishes the work instead of skipping it.
 * After a missed first response it queues the resolution target's reminder.
 */
export async function sendSlaReminder(
  deps: Deps,
  ctx: TenantContext,
  payload: Pick<TicketSlaReminderPayload, "ticketId" | "target" | "dueAt">,
): Promise<SlaReminderOutcome> {
  const { models } = deps;
  const ticket = await models.Ticket.findOne({
    where: tenantWhere(ctx, models.Ticket, { id: payload.ticketId }),
  });
  if (!ticket) return "ticket_gone";
  if (!slaActiveStatuses.includes(ticket.status)) return "not_active";
  if (payload.target === "first_response" && ticket.firstRespondedAt) {
    await scheduleSlaReminder(deps, ticket);
    return "met";
  }
  const due =
    payload.target === "first_response" ? ticket.firstResponseDueAt : ticket.resolutionDueAt;
  if (!due || due.getTime() !== payload.dueAt) return "due_changed";
  const reminded = remindedValue(payload.target, payload.dueAt);
  if (wasReminded(ticket, payload.target, payload.dueAt)) return "already_reminded";

  const key = slaReminderKey(ticket.id, payload.target, payload.dueAt);
  const assignee =
    ticket.assigneeId === null
      ? null
      : await models.Membership.findOne({
          where: tenantWhere(ctx, models.Membership, { userId: ticket.assigneeId }),
          include: [{ model: models.User, as: "user", required: true }],
        }).then((m) => m?.user ?? null);
  const reference = ticketReference(ticket.number);
  const target = targetLabels[payload.target];
  if (assignee) {
    const { business } = ctx;
    const dueText = `${formatDateTime(due, business.timeZone)} (${business.timeZone})`;
    const link = `/tickets/${ticket.id}`;
    await notify(models, [
      {
        businessId: ticket.businessId,
        userId: assignee.id,
        kind: "ticket_overdue",
        title: `Overdue: ${reference} ${ticket.subject}`.slice(0, 200),
        body: `Past its ${target} target (due ${dueText})`,
        link,
        dedupeKey: key,
      },
    ]);
    await enqueueMail(
      deps,
      {
        to: assignee.email,
        template: "ticket-overdue",
        data: {
          name: assignee.name,
          reference,
          subject: ticket.subject,
          target,
          due: dueText,
          businessName: business.name,
          link: new URL(link, deps.config.APP_URL).toString(),
        },
      },
      { jobId: `${key}-mail` },
    );
  }
  await deps.sequelize.transaction(async (transaction) => {
    // Conditional: a target moved meanwhile (priority change) keeps its own, still owed, reminder.
    const [changed] = await models.Ticket.update(
      { slaRemindedFor: reminded },
      {
        where: tenantWhere(ctx, models.Ticket, {
          id: ticket.id,
          status: { [Op.in]: slaActiveStatuses },
          [payload.target === "first_response" ? "firstResponseDueAt" : "resolutionDueAt"]: due,
        }),
        transaction,
      },
    );
    if (changed > 0)
      await recordTicketEvents(
        deps,
        ticket,
        null,
        [
          {
            kind: "sla_reminded",
            details: { target: payload.target, assigneeId: ticket.assigneeId },
          },
        ],
        transaction,
      );
  });
  // The first response is still owed, but the resolution target has its own reminder.
  ticket.slaRemindedFor = reminded;
  await scheduleSlaReminder(deps, ticket);
  return assignee ? "sent" : "no_assignee";
}
