import type { CreationAttributes } from "sequelize";
import { newReplyToken } from "../src/commands/tickets/input";
import { ensureTicketCounter, nextTicketNumber } from "../src/commands/tickets/numbering";
import type { Business, Models, Ticket, TicketMessage } from "../src/models";

/**
 * A ticket of `business`, open and normal priority, assigned to its owner, numbered from the
 * business's counter like createTicket (no timeline entry, no SLA reminder queued).
 */
export async function buildTicket(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Ticket>> = {},
): Promise<Ticket> {
  await ensureTicketCounter({ models }, business.id);
  const sequelize = models.Ticket.sequelize!;
  const number = await sequelize.transaction((transaction) =>
    nextTicketNumber({ models }, business.id, transaction),
  );
  return models.Ticket.create({
    businessId: business.id,
    number,
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
