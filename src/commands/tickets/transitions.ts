import { AppError } from "../../errors";
import type { TicketStatus } from "../../models";

/**
 * The status flow: open → in progress ⇄ waiting on customer → resolved → closed, and cancelled from
 * any unfinished status. A resolved ticket can be reopened (in progress) until it is closed;
 * closed and cancelled are final.
 */
export const transitions: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ["in_progress", "cancelled"],
  in_progress: ["waiting_on_customer", "resolved", "cancelled"],
  waiting_on_customer: ["in_progress", "resolved", "cancelled"],
  resolved: ["closed", "in_progress"],
  closed: [],
  cancelled: [],
};

export const statusLabels: Readonly<Record<TicketStatus, string>> = {
  open: "Open",
  in_progress: "In progress",
  waiting_on_customer: "Waiting on customer",
  resolved: "Resolved",
  closed: "Closed",
  cancelled: "Cancelled",
};

export function canMove(from: TicketStatus, to: TicketStatus): boolean {
  return transitions[from].includes(to);
}

/** Refuses a move the flow does not allow, naming the moves that are (409, on the status field). */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (from === to || canMove(from, to)) return;
  const allowed = transitions[from].map((s) => statusLabels[s].toLowerCase());
  const message =
    allowed.length === 0
      ? `A ${statusLabels[from].toLowerCase()} ticket cannot change status.`
      : `A ticket that is ${statusLabels[from].toLowerCase()} can move to ${allowed.join(" or ")}, not ${statusLabels[to].toLowerCase()}.`;
  throw new AppError("conflict", message, {
    fields: { status: message },
    code: "ticket_invalid_transition",
    from,
    to,
    allowed: transitions[from],
  });
}
