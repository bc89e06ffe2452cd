import type { TicketFilter } from "../commands/tickets/list";
import { transitions } from "../commands/tickets/transitions";
import { formatDateTime } from "../lib/dates";
import type { Ticket, TicketEvent, TicketMessage, TicketStatus } from "../models";
import { ticketPriorities } from "../models/Ticket";
import {
  presentTicket,
  presentTicketEvent,
  ticketChannelLabels,
  ticketPriorityBadges,
  ticketPriorityLabels,
  ticketStatusBadges,
  ticketStatusLabels,
} from "./tickets";

/** What the ticket pages show: plain objects with labels, badges and times in the business zone. */

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

function options(pairs: Array<[string, string]>, selected: unknown): Option[] {
  const wanted = selected === undefined || selected === null ? "" : String(selected);
  return pairs.map(([value, label]) => ({ value, label, selected: value === wanted }));
}

const overdueLabels = { first_response: "First response overdue", resolution: "Overdue" } as const;

/** The moves the flow allows from a status, as the choices of a small "Move to" form. */
export function moveOptions(status: TicketStatus): Option[] {
  return transitions[status].map((to) => ({
    value: to,
    label: ticketStatusLabels[to],
    selected: false,
  }));
}

/** A ticket for a list, a board card or the ticket page's side panel. */
export function presentTicketRow(ticket: Ticket, timeZone: string, now: Date) {
  const plain = presentTicket(ticket, now);
  const due = plain.firstRespondedAt ? ticket.resolutionDueAt : ticket.firstResponseDueAt;
  const active = ticket.status === "open" || ticket.status === "in_progress";
  return {
    ...plain,
    priorityLabel: ticketPriorityLabels[ticket.priority],
    priorityBadge: ticketPriorityBadges[ticket.priority],
    statusLabel: ticketStatusLabels[ticket.status],
    statusBadge: ticketStatusBadges[ticket.status],
    channelLabel: ticketChannelLabels[ticket.channel],
    overdueLabel: plain.overdue ? overdueLabels[plain.overdue] : null,
    /** The next SLA time still owed (first response, then resolution), while work is owed. */
    dueLabel: active && due ? formatDateTime(due, timeZone) : null,
    dueKind: plain.firstRespondedAt ? "Resolve by" : "Respond by",
    createdLabel: formatDateTime(ticket.createdAt, timeZone),
    moveOptions: moveOptions(ticket.status),
  };
}

export function presentThreadEntry(message: TicketMessage, timeZone: string) {
  return {
    id: message.id,
    kind: message.kind,
    body: message.body,
    isNote: message.kind === "note",
    isInbound: message.kind === "inbound",
    who: message.author?.name ?? message.fromEmail ?? "Customer",
    label: { reply: "Reply to customer", note: "Internal note", inbound: "From the customer" }[
      message.kind
    ],
    timeLabel: formatDateTime(message.createdAt, timeZone),
  };
}

/** One timeline line in words: "Asha Rao moved it from open to in progress". */
export function presentTimelineEntry(
  event: TicketEvent,
  timeZone: string,
  names: ReadonlyMap<number, string>,
) {
  const { details, actor } = presentTicketEvent(event);
  const who = actor ?? "Automatically";
  const person = (id: unknown) =>
    typeof id === "number" ? (names.get(id) ?? `member #${id}`) : "nobody";
  const status = (value: unknown) =>
    ticketStatusLabels[value as TicketStatus]?.toLowerCase() ?? String(value);
  const texts: Record<TicketEvent["kind"], () => string> = {
    created: () => `${who} opened the ticket (${String(details.channel ?? "manual")})`,
    status_changed: () =>
      `${details.auto ? "Automatically" : who} moved it from ${status(details.from)} to ${status(details.to)}`,
    assignee_changed: () =>
      `${who} assigned it to ${person(details.to)} (was ${person(details.from)})`,
    priority_changed: () =>
      `${who} changed the priority from ${String(details.from)} to ${String(details.to)}`,
    updated: () =>
      `${who} changed ${Object.keys((details.changes as object | undefined) ?? {}).join(", ")}`,
    reply_sent: () => `${who} replied to the customer`,
    note_added: () => `${who} added an internal note`,
    customer_replied: () => "The customer answered by e-mail",
    sla_reminded: () =>
      `The assignee was reminded: ${String(details.target).replace("_", " ")} target missed`,
  };
  return {
    id: event.id,
    kind: event.kind,
    text: texts[event.kind](),
    timeLabel: formatDateTime(event.createdAt, timeZone),
  };
}

/** The filter form's choices, each with the current one selected. */
export function ticketFilterView(
  filter: TicketFilter,
  agents: Array<{ id: number; name: string }>,
) {
  return {
    statusOptions: options(
      [["active", "Not finished"], ["any", "Any status"], ...Object.entries(ticketStatusLabels)],
      filter.status,
    ),
    priorityOptions: options(
      [["", "Any priority"], ...Object.entries(ticketPriorityLabels)],
      filter.priority,
    ),
    assigneeOptions: options(
      [
        ["", "Anyone"],
        ["none", "Unassigned"],
        ...agents.map((m): [string, string] => [String(m.id), m.name]),
      ],
      filter.assigneeId,
    ),
    overdueChecked: filter.overdue === true,
    q: filter.q ?? "",
    customerId: filter.customerId ?? null,
  };
}

/** The list's (or board's) address for a filter; defaults are left out so links stay short. */
export function ticketListUrl(
  filter: TicketFilter,
  base = "/tickets",
  extra: Record<string, string> = {},
): string {
  const query = new URLSearchParams();
  if (filter.status !== "active" && base === "/tickets") query.set("status", filter.status);
  if (filter.priority) query.set("priority", filter.priority);
  if (filter.assigneeId !== undefined) query.set("assigneeId", String(filter.assigneeId));
  if (filter.overdue) query.set("overdue", "true");
  if (filter.q) query.set("q", filter.q);
  if (filter.customerId !== undefined) query.set("customerId", String(filter.customerId));
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  const text = query.toString();
  return text ? `${base}?${text}` : base;
}

/** The new/edit form's selects. */
export function ticketFormView(
  values: Record<string, unknown>,
  choices: {
    agents: Array<{ id: number; name: string }>;
    customer: { id: number; name: string } | null;
  },
) {
  const customers: Array<[string, string]> = [["", "No customer"]];
  if (choices.customer) customers.push([String(choices.customer.id), choices.customer.name]);
  return {
    priorityOptions: options(
      ticketPriorities.map((p): [string, string] => [p, ticketPriorityLabels[p]]),
      values.priority ?? "normal",
    ),
    assigneeOptions: options(
      [["", "Unassigned"], ...choices.agents.map((m): [string, string] => [String(m.id), m.name])],
      values.assigneeId,
    ),
    customerOptions: options(customers, values.customerId),
  };
}
