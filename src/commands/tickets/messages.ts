import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Ticket, TicketMessage, TicketStatus } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { actorOf } from "./create";
import { publishTicketEvent } from "./events";
import { mailableCustomer, queueReplyMail, queueResolvedMail } from "./mails";
import { scheduleSlaReminder } from "./reminders";
import { recordTicketEvents, type TicketEventEntry } from "./timeline";
import { assertTransition } from "./transitions";

export interface NewTicketMessage {
  /** reply: e-mailed to the customer; note: seen only by the team. */
  kind: "reply" | "note";
  body: string;
  /** A status to move to with the message (e.g. waiting on customer after asking a question). */
  status?: TicketStatus;
}

export const messageErrors = {
  noCustomerMail:
    "This ticket has no customer with an e-mail address, so a reply cannot reach anyone. Link a customer who has one, or write an internal note.",
  finished: "This ticket is finished: replies are closed. Write an internal note instead.",
};

const finished: readonly TicketStatus[] = ["closed", "cancelled"];

/**
 * Adds a reply or an internal note to a ticket's thread. A reply needs a customer with an e-mail
 * address (it is sent, never pretended), counts as the first response when it is one, and moves an
 * open ticket to in progress; the e-mail is queued after the commit. `status` moves the ticket on
 * in the same transaction, along the flow. Everything lands on the timeline.
 */
export async function addTicketMessage(
  deps: Deps,
  ctx: TenantContext,
  ticket: Ticket,
  input: NewTicketMessage,
): Promise<TicketMessage> {
  authorize(ctx, "tickets.manage");
  const isReply = input.kind === "reply";
  if (isReply && finished.includes(ticket.status))
    throw AppError.validation({ body: messageErrors.finished }, messageErrors.finished);
  const customer = isReply ? await mailableCustomer(deps, ctx, ticket) : null;
  if (isReply && !customer)
    throw AppError.validation({ body: messageErrors.noCustomerMail }, messageErrors.noCustomerMail);

  const now = deps.clock.now();
  const actorId = actorOf(ctx);
  let status = ticket.status;
  const values: Partial<Ticket> = {};
  const entries: TicketEventEntry[] = [];
  if (isReply && ticket.status === "open") {
    status = "in_progress";
    entries.push({ kind: "status_changed", details: { from: "open", to: status, auto: true } });
  }
  if (input.status && input.status !== status) {
    assertTransition(status, input.status);
    entries.push({ kind: "status_changed", details: { from: status, to: input.status } });
    status = input.status;
  }
  if (status !== ticket.status) values.status = status;
  if (status === "resolved") values.resolvedAt = now;
  if (isReply && !ticket.firstRespondedAt) values.firstRespondedAt = now;

  const message = await deps.sequelize.transaction(async (transaction) => {
    const created = await deps.models.TicketMessage.create(
      {
        businessId: ticket.businessId,
        ticketId: ticket.id,
        kind: input.kind,
        authorId: actorId,
        fromEmail: null,
        externalId: null,
        body: input.body,
        createdAt: now,
      },
      { transaction },
    );
    entries.unshift({
      kind: isReply ? "reply_sent" : "note_added",
      details: { messageId: created.id },
    });
    if (Object.keys(values).length) await ticket.update(values, { transaction });
    await recordTicketEvents(deps, ticket, actorId, entries, transaction);
    // The thread changed: integrations hear of every message, internal notes included.
    await publishTicketEvent(deps, ctx, "ticket.updated", ticket, transaction);
    return created;
  });
  if (customer) {
    await queueReplyMail(deps, ctx, ticket, customer, {
      id: message.id,
      body: message.body,
      authorName: ctx.system ? null : ctx.user.name,
    });
  }
  // Resolved with this message: the customer gets the resolution e-mail too, as from the status form.
  if (values.status === "resolved") {
    const resolvedFor = customer ?? (await mailableCustomer(deps, ctx, ticket));
    if (resolvedFor) await queueResolvedMail(deps, ctx, ticket, resolvedFor, null);
  }
  await scheduleSlaReminder(deps, ticket);
  return message;
}
