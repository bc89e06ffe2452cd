import type { Deps } from "../../deps";
import type { Ticket } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { publishTicketEvent } from "./events";
import { checkTicketAssignee, checkTicketCustomer, newReplyToken, type NewTicket } from "./input";
import { ensureTicketCounter, nextTicketNumber } from "./numbering";
import { scheduleSlaReminder } from "./reminders";
import { dueTimes } from "./sla";

/** The member acting, or null for the business's own work (a job, a public form). */
export const actorOf = (ctx: TenantContext): number | null => (ctx.system ? null : ctx.user.id);

/**
 * Creates a ticket with the business's next number (gapless: see numbering.ts), its SLA due
 * times, the customer's first message when given, and a "created" entry on its timeline; the SLA
 * reminder is queued once the row is committed.
 *
 * This is the one entry point for every channel. Pages and the API pass "manual" (or "email");
 * the support forms of the leads issue and inbound WhatsApp of the campaigns issue are to call it
 * with "web_form" / "whatsapp", a system context (loadTenantContext with userId null) and the
 * customer they matched — nothing else is needed from them.
 */
export async function createTicket(
  deps: Deps,
  ctx: TenantContext,
  input: NewTicket,
): Promise<Ticket> {
  authorize(ctx, "tickets.manage");
  const assigneeId = await checkTicketAssignee(deps, ctx, input.assigneeId ?? null);
  const customerId = await checkTicketCustomer(deps, ctx, input.customerId ?? null);
  const businessId = ctx.business.id;
  await ensureTicketCounter(deps, businessId);
  const now = deps.clock.now();
  const priority = input.priority ?? "normal";
  const channel = input.channel ?? "manual";
  const actorId = actorOf(ctx);

  const ticket = await deps.sequelize.transaction(async (transaction) => {
    const number = await nextTicketNumber(deps, businessId, transaction);
    const created = await deps.models.Ticket.create(
      {
        businessId,
        number,
        subject: input.subject,
        customerId,
        category: input.category ?? null,
        priority,
        channel,
        status: "open",
        assigneeId,
        createdById: actorId,
        replyToken: newReplyToken(),
        ...dueTimes(deps.config, priority, now),
        firstRespondedAt: null,
        resolvedAt: null,
        closedAt: null,
        slaRemindedFor: null,
        // The SLA counts from this instant: the injected clock's, not the database driver's.
        createdAt: now,
      },
      { transaction },
    );
    if (input.message) {
      await deps.models.TicketMessage.create(
        {
          businessId,
          ticketId: created.id,
          kind: "inbound",
          authorId: null,
          fromEmail: input.fromEmail ?? null,
          externalId: null,
          body: input.message,
          createdAt: now,
        },
        { transaction },
      );
    }
    await deps.models.TicketEvent.create(
      {
        businessId,
        ticketId: created.id,
        actorId,
        kind: "created",
        details: JSON.stringify({ number, channel, priority, assigneeId }),
        createdAt: now,
      },
      { transaction },
    );
    await publishTicketEvent(deps, ctx, "ticket.created", created, transaction);
    return created;
  });
  await scheduleSlaReminder(deps, ticket);
  return ticket;
}
