import type { Config } from "../../config";
import type { Deps } from "../../deps";
import { enqueueMail } from "../../integrations/mail/enqueue";
import type { Customer, Ticket } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { ticketReference } from "./numbering";

/**
 * The address the customer's answer goes to: ticket+<token>@TICKET_REPLY_DOMAIN when a domain is
 * set (the provider routes it to the inbound-mail webhook); otherwise none, and the mail's From
 * (MAIL_FROM) gets the answer, threaded back by the token in the subject.
 */
export function replyAddress(config: Pick<Config, "TICKET_REPLY_DOMAIN">, ticket: Ticket) {
  return config.TICKET_REPLY_DOMAIN
    ? `ticket+${ticket.replyToken}@${config.TICKET_REPLY_DOMAIN}`
    : undefined;
}

/** The ticket's customer, when it has one with an e-mail address (whom replies go to). */
export async function mailableCustomer(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  ticket: Ticket,
): Promise<Customer | null> {
  if (ticket.customerId === null) return null;
  const customer = await findInBusiness(ctx, deps.models.Customer, ticket.customerId, {
    wholeBusiness: true,
  }).catch(() => null);
  return customer?.email ? customer : null;
}

function common(ctx: TenantContext, ticket: Ticket, customer: Customer) {
  return {
    businessName: ctx.business.name,
    reference: ticketReference(ticket.number),
    subject: ticket.subject,
    token: ticket.replyToken,
    customerName: customer.name,
  };
}

/**
 * Queues a reply to the customer (after the message's transaction committed). The job id names
 * the message, so a repeated call cannot mail it twice.
 */
export async function queueReplyMail(
  deps: Pick<Deps, "jobs" | "config">,
  ctx: TenantContext,
  ticket: Ticket,
  customer: Customer,
  message: { id: number; body: string; authorName: string | null },
): Promise<void> {
  await enqueueMail(
    deps,
    {
      to: customer.email as string,
      template: "ticket-reply",
      replyTo: replyAddress(deps.config, ticket),
      data: {
        ...common(ctx, ticket, customer),
        body: message.body,
        authorName: message.authorName,
      },
    },
    { jobId: `ticket-message-${message.id}-mail` },
  );
}

/** Queues the resolution e-mail; one per resolution (the id names the time it was resolved). */
export async function queueResolvedMail(
  deps: Pick<Deps, "jobs" | "config">,
  ctx: TenantContext,
  ticket: Ticket,
  customer: Customer,
  resolution: string | null,
): Promise<void> {
  const resolvedAt = ticket.resolvedAt?.getTime() ?? 0;
  await enqueueMail(
    deps,
    {
      to: customer.email as string,
      template: "ticket-resolved",
      replyTo: replyAddress(deps.config, ticket),
      data: { ...common(ctx, ticket, customer), resolution },
    },
    { jobId: `ticket-${ticket.id}-resolved-${resolvedAt}-mail` },
  );
}
