import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { Ticket } from "../../models";
import { presentTicket } from "../../presenters/tickets";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { publishEvent, wantsEvent } from "../../webhooks/publish";
import { ticketIncludes } from "./list";

export type TicketEventType = "ticket.created" | "ticket.updated";

/**
 * Publishes a ticket change to the business's outbound webhooks (src/webhooks/publish.ts), inside
 * the change's transaction so the event commits or rolls back with it. The payload is what the
 * tickets API answers for one ticket (re-read with its customer and assignee names). Kept in one
 * place so the commands that publish (create, update, messages, inbound) cannot drift apart.
 */
export async function publishTicketEvent(
  deps: Deps,
  ctx: TenantContext,
  type: TicketEventType,
  ticket: Ticket,
  transaction: Transaction,
): Promise<void> {
  // Most businesses subscribe to nothing: skip re-reading the ticket for nobody.
  if (!(await wantsEvent(deps, ctx, type, transaction))) return;
  const fresh = await deps.models.Ticket.findOne({
    where: tenantWhere(ctx, deps.models.Ticket, { id: ticket.id }),
    include: ticketIncludes(deps),
    transaction,
  });
  if (!fresh) return;
  await publishEvent(
    deps,
    ctx,
    type,
    { ...presentTicket(fresh, deps.clock.now()) },
    { transaction },
  );
}
