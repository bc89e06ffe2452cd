import type { CreationAttributes } from "sequelize";
import { newReplyToken } from "../src/commands/tickets/input";
import type { Business, Models, Ticket, TicketMessage } from "../src/models";

/**
 * A ticket of `business`, open and normal priority, assigned to its owner, numbered after the
 * business's highest (no SLA reminder queued; the counter row is left alone, so mix with
 * createTicket only in tests that do not count numbers).
 */
export async function buildTicket(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Ticket>> = {},
): Promise<Ticket> {
  const highest = (await models.Ticket.max<number, Ticket>("number", {
    where: { businessId: business.id },
  })) as number | null;
  return models.Ticket.create({
    businessId: business.id,
    number: (highest ?? 0) + 1,
    subject: "The printer will not print",
    customerId: null,
    category: null,
    priority: "normal",
    channel: "manual",
    status: "open",
    assigneeId: business.ownerId,
    createdById: business.ownerId,
    replyToken: newReplyToken(),
    firstResponseDueAt: null,
    resolutionDueAt: null,
    firstRespondedAt: null,
    resolvedAt: null,
    closedAt: null,
    slaRemindedFor: null,
    ...overrides,
  });
}

/** A message on a ticket's thread (an internal note by the business's owner unless overridden). */
export async function buildTicketMessage(
  models: Models,
  ticket: Ticket,
  overrides: Partial<CreationAttributes<TicketMessage>> = {},
): Promise<TicketMessage> {
  return models.TicketMessage.create({
    businessId: ticket.businessId,
    ticketId: ticket.id,
    kind: "note",
    authorId: ticket.createdById,
    fromEmail: null,
    externalId: null,
    body: "Checked the cable.",
    ...overrides,
  });
}
