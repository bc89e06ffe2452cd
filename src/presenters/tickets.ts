import { ticketReference } from "../commands/tickets/numbering";
import { slaBreach } from "../commands/tickets/sla";
import { statusLabels } from "../commands/tickets/transitions";
import type { Ticket, TicketEvent, TicketMessage, TicketPriority, TicketStatus } from "../models";

export const ticketPriorityLabels: Record<TicketPriority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};
export const ticketStatusLabels = statusLabels;

export const ticketChannelLabels = {
  web_form: "Web form",
  email: "E-mail",
  whatsapp: "WhatsApp",
  manual: "Manual",
} as const;

/** Bootstrap badge classes: the louder the priority, the louder the colour. */
export const ticketPriorityBadges: Record<TicketPriority, string> = {
  low: "text-bg-light border",
  normal: "text-bg-secondary",
  high: "text-bg-warning",
  urgent: "text-bg-danger",
};

export const ticketStatusBadges: Record<TicketStatus, string> = {
  open: "text-bg-primary",
  in_progress: "text-bg-info",
  waiting_on_customer: "text-bg-warning",
  resolved: "text-bg-success",
  closed: "text-bg-secondary",
  cancelled: "text-bg-light border",
};

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export interface PresentedTicket {
  id: number;
  /** TKT-000123 */
  number: string;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: Ticket["channel"];
  category: string | null;
  customerId: number | null;
  customer: { id: number; name: string } | null;
  assigneeId: number | null;
  assignee: { id: number; name: string } | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** The SLA target missed at the time of the answer (first_response / resolution), or null. */
  overdue: "first_response" | "resolution" | null;
  createdAt: string;
  updatedAt: string;
}

/** The ticket as plain JSON: what the API answers, webhooks carry and pages build on. */
export function presentTicket(ticket: Ticket, now: Date): PresentedTicket {
  return {
    id: ticket.id,
    number: ticketReference(ticket.number),
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    category: ticket.category,
    customerId: ticket.customerId,
    customer: ticket.customer ? { id: ticket.customer.id, name: ticket.customer.name } : null,
    assigneeId: ticket.assigneeId,
    assignee: ticket.assignee ? { id: ticket.assignee.id, name: ticket.assignee.name } : null,
    firstResponseDueAt: iso(ticket.firstResponseDueAt),
    resolutionDueAt: iso(ticket.resolutionDueAt),
    firstRespondedAt: iso(ticket.firstRespondedAt),
    resolvedAt: iso(ticket.resolvedAt),
    closedAt: iso(ticket.closedAt),
    overdue: slaBreach(ticket, now),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
  };
}

export interface PresentedTicketMessage {
  id: number;
  kind: TicketMessage["kind"];
  body: string;
  authorId: number | null;
  author: { id: number; name: string } | null;
  fromEmail: string | null;
  createdAt: string;
}

export function presentTicketMessage(message: TicketMessage): PresentedTicketMessage {
  return {
    id: message.id,
    kind: message.kind,
    body: message.body,
    authorId: message.authorId,
    author: message.author ? { id: message.author.id, name: message.author.name } : null,
    fromEmail: message.fromEmail,
    createdAt: message.createdAt.toISOString(),
  };
}

export interface PresentedTicketEvent {
  id: number;
  kind: TicketEvent["kind"];
  actor: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export function presentTicketEvent(event: TicketEvent): PresentedTicketEvent {
  return {
    id: event.id,
    kind: event.kind,
    actor: event.actor?.name ?? null,
    details: event.details ? (JSON.parse(event.details) as Record<string, unknown>) : {},
    createdAt: event.createdAt.toISOString(),
  };
}
