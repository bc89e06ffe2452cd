import type { Deps } from "../../deps";
import type { Ticket, TicketStatus } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { actorOf } from "./create";
import { publishTicketEvent } from "./events";
import {
  checkTicketAssignee,
  checkTicketCustomer,
  type TicketChanges,
  type TicketFields,
} from "./input";
import { mailableCustomer, queueResolvedMail } from "./mails";
import { scheduleSlaReminder } from "./reminders";
import { dueTimes } from "./sla";
import type { TicketEventEntry } from "./timeline";
import { recordTicketEvents } from "./timeline";
import { assertTransition } from "./transitions";

const otherFields = ["subject", "category", "customerId"] as const;

/** The columns a status change sets besides the status: when it was resolved or closed. */
function statusStamps(to: TicketStatus, now: Date): Partial<Ticket> {
  if (to === "resolved") return { resolvedAt: now };
  if (to === "closed") return { closedAt: now };
  // Reopened: no longer resolved.
  if (to === "in_progress" || to === "waiting_on_customer") return { resolvedAt: null };
  return {};
}

/**
 * Changes the given fields of a ticket. A status change must follow the flow (transitions.ts,
 * 409 otherwise); the assignee must work tickets in this business, the customer be one of its.
 * Every change of status, assignee and priority goes on the ticket's timeline (other fields as
 * one "updated" entry) in the same transaction. A priority change moves the SLA due times (from
 * the ticket's creation); resolving e-mails the customer. Nothing is written when nothing changes.
 */
export async function updateTicket(
  deps: Deps,
  ctx: TenantContext,
  ticket: Ticket,
  changes: TicketChanges,
): Promise<Ticket> {
  authorize(ctx, "tickets.manage");
  const next: TicketFields = {
    subject: changes.subject ?? ticket.subject,
    category: changes.category === undefined ? ticket.category : changes.category,
    customerId: changes.customerId === undefined ? ticket.customerId : changes.customerId,
    priority: changes.priority ?? ticket.priority,
    status: changes.status ?? ticket.status,
    assigneeId: changes.assigneeId === undefined ? ticket.assigneeId : changes.assigneeId,
  };
  assertTransition(ticket.status, next.status);
  next.assigneeId = await checkTicketAssignee(deps, ctx, next.assigneeId, ticket.assigneeId);
  next.customerId = await checkTicketCustomer(deps, ctx, next.customerId, ticket.customerId);

  const now = deps.clock.now();
  const entries: TicketEventEntry[] = [];
  const values: Partial<Ticket> = {};
  if (next.status !== ticket.status) {
    entries.push({ kind: "status_changed", details: { from: ticket.status, to: next.status } });
    Object.assign(values, { status: next.status }, statusStamps(next.status, now));
  }
  if (next.assigneeId !== ticket.assigneeId) {
    entries.push({
      kind: "assignee_changed",
      details: { from: ticket.assigneeId, to: next.assigneeId },
    });
    values.assigneeId = next.assigneeId;
  }
  if (next.priority !== ticket.priority) {
    entries.push({
      kind: "priority_changed",
      details: { from: ticket.priority, to: next.priority },
    });
    Object.assign(
      values,
      { priority: next.priority },
      dueTimes(deps.config, next.priority, ticket.createdAt),
    );
  }
  const updated: Record<string, [unknown, unknown]> = {};
  for (const field of otherFields) {
    if (next[field] !== ticket[field]) {
      updated[field] = [ticket[field], next[field]];
      Object.assign(values, { [field]: next[field] });
    }
  }
  if (Object.keys(updated).length) entries.push({ kind: "updated", details: { changes: updated } });
  if (entries.length === 0) return ticket;

  await deps.sequelize.transaction(async (transaction) => {
    await ticket.update(values, { transaction });
    await recordTicketEvents(deps, ticket, actorOf(ctx), entries, transaction);
    await publishTicketEvent(deps, ctx, "ticket.updated", ticket, transaction);
  });
  if (values.status === "resolved") {
    const customer = await mailableCustomer(deps, ctx, ticket);
    if (customer) await queueResolvedMail(deps, ctx, ticket, customer, null);
  }
  await scheduleSlaReminder(deps, ticket);
  return ticket;
}
