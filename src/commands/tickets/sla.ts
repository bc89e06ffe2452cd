import type { Config } from "../../config";
import type { Ticket, TicketPriority, TicketStatus } from "../../models";

/**
 * SLA targets per priority, from TICKET_SLA_HOURS (one setting for the whole installation, not per
 * business: a business that needs other targets is a later feature; see README "Support tickets").
 * Hours are wall-clock hours from the ticket's creation; they do not pause while waiting on the
 * customer, but a ticket waiting on the customer is not flagged overdue (the ball is not ours).
 */
export interface SlaTarget {
  firstResponseHours: number;
  resolutionHours: number;
}

export type SlaTargets = Record<TicketPriority, SlaTarget>;

/** Statuses in which the business owes the customer work: only these can be overdue. */
export const slaActiveStatuses: readonly TicketStatus[] = ["open", "in_progress"];

export function parseSlaTargets(value: string): SlaTargets {
  const targets: Partial<SlaTargets> = {};
  for (const part of value.split(",")) {
    const match = /^\s*(low|normal|high|urgent)\s*=\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(part);
    if (!match) throw new Error(`TICKET_SLA_HOURS: cannot read "${part}"`);
    targets[match[1] as TicketPriority] = {
      firstResponseHours: Number(match[2]),
      resolutionHours: Number(match[3]),
    };
  }
  return targets as SlaTargets;
}

export function slaTargets(config: Pick<Config, "TICKET_SLA_HOURS">): SlaTargets {
  return parseSlaTargets(config.TICKET_SLA_HOURS);
}

const hours = (from: Date, count: number) =>
  new Date(Math.floor(from.getTime() / 1000) * 1000 + count * 3_600_000);

/** The due times of a ticket created at `createdAt` with `priority` (whole seconds, for MySQL). */
export function dueTimes(
  config: Pick<Config, "TICKET_SLA_HOURS">,
  priority: TicketPriority,
  createdAt: Date,
): { firstResponseDueAt: Date; resolutionDueAt: Date } {
  const target = slaTargets(config)[priority];
  return {
    firstResponseDueAt: hours(createdAt, target.firstResponseHours),
    resolutionDueAt: hours(createdAt, target.resolutionHours),
  };
}

export type SlaBreach = "first_response" | "resolution";

type SlaFields = Pick<
  Ticket,
  "status" | "firstResponseDueAt" | "firstRespondedAt" | "resolutionDueAt"
>;

/** Which target a ticket has missed at `now` (resolution first: it is the later, graver one). */
export function slaBreach(ticket: SlaFields, now: Date): SlaBreach | null {
  if (!slaActiveStatuses.includes(ticket.status)) return null;
  if (ticket.resolutionDueAt && ticket.resolutionDueAt <= now) return "resolution";
  if (!ticket.firstRespondedAt && ticket.firstResponseDueAt && ticket.firstResponseDueAt <= now)
    return "first_response";
  return null;
}

/** The next target still to be met, and when it falls due; null when none is owed. */
export function nextSlaTarget(ticket: SlaFields): { target: SlaBreach; dueAt: Date } | null {
  if (!slaActiveStatuses.includes(ticket.status)) return null;
  if (!ticket.firstRespondedAt && ticket.firstResponseDueAt)
    return { target: "first_response", dueAt: ticket.firstResponseDueAt };
  if (ticket.resolutionDueAt) return { target: "resolution", dueAt: ticket.resolutionDueAt };
  return null;
}
