import { Op, UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import { toE164 } from "../../lib/phone";
import type { InboundOutcome, MessagingChannel } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { optOutCustomer } from "../campaigns/optOut";
import { recordEvents } from "../customers/timeline";
import { optOutKeywordsOf, standardOptOutWords } from "./channels";
import { textOf, timeOf, type InboundEvent } from "./webhookPayload";

/**
 * A customer's WhatsApp message to a business: STOP, UNSUBSCRIBE or one of the business's own
 * keywords opts them out of every channel; anything else lands on their timeline. Each message is
 * kept once by its provider id, so Meta's redeliveries change nothing.
 */
type InboundDeps = Pick<Deps, "models" | "sequelize" | "clock">;

export type InboundResult = InboundOutcome | "duplicate";

/** Whether the text is an opt-out word: trimmed, any case, STOP/UNSUBSCRIBE or the business's own. */
export function isOptOut(text: string | null, channel: MessagingChannel): boolean {
  if (!text) return false;
  const word = text
    .trim()
    .replace(/[.!]+$/, "")
    .toUpperCase();
  return (
    (standardOptOutWords as readonly string[]).includes(word) ||
    optOutKeywordsOf(channel).includes(word)
  );
}

/** The customer with this WhatsApp (or, failing that, phone) number in the business. */
async function customerByPhone(deps: InboundDeps, ctx: TenantContext, e164: string) {
  const Customer = deps.models.Customer;
  const found = await Customer.findAll({
    where: tenantWhere(
      ctx,
      Customer,
      { [Op.or]: [{ whatsappE164: e164 }, { phoneE164: e164 }] },
      { wholeBusiness: true },
    ),
    attributes: ["id", "whatsappE164"],
    order: [["id", "ASC"]],
    limit: 5,
  });
  return found.find((c) => c.whatsappE164 === e164) ?? found[0] ?? null;
}

async function alreadyKept(deps: InboundDeps, ctx: TenantContext, providerMessageId: string) {
  const model = deps.models.InboundMessage;
  return (await model.count({ where: tenantWhere(ctx, model, { providerMessageId }) })) > 0;
}

export async function receiveInbound(
  deps: InboundDeps,
  ctx: TenantContext,
  channel: MessagingChannel,
  message: InboundEvent,
): Promise<InboundResult> {
  if (await alreadyKept(deps, ctx, message.id)) return "duplicate";
  const e164 = toE164(`+${message.from.replace(/\D/g, "")}`, ctx.business.country);
  const customer = e164 ? await customerByPhone(deps, ctx, e164) : null;
  const text = textOf(message);
  const receivedAt = timeOf(message.timestamp) ?? deps.clock.now();
  let outcome: InboundOutcome = customer ? "timeline" : "unmatched";
  if (customer && isOptOut(text, channel)) {
    // Idempotent on its own: a redelivery that gets here again opts out nobody twice.
    await optOutCustomer(deps, ctx, {
      customerId: customer.id,
      reason: `Replied "${(text ?? "").trim().slice(0, 40)}" on WhatsApp`,
      channel: "whatsapp",
    });
    outcome = "opted_out";
  }
  try {
    await deps.sequelize.transaction(async (transaction) => {
      await deps.models.InboundMessage.create(
        {
          businessId: ctx.business.id,
          channel: "whatsapp",
          providerMessageId: message.id,
          customerId: customer?.id ?? null,
          fromAddress: e164 ?? message.from.slice(0, 64),
          messageType: message.type,
          body: text?.slice(0, 4096) ?? null,
          outcome,
          receivedAt,
        },
        { transaction },
      );
      if (customer && outcome === "timeline")
        await recordEvents(
          deps,
          { businessId: ctx.business.id, actorId: null },
          [
            {
              customerId: customer.id,
              kind: "message_received",
              details: {
                channel: "whatsapp",
                type: message.type,
                text: text?.slice(0, 1000) ?? null,
                providerMessageId: message.id,
              },
            },
          ],
          transaction,
        );
    });
  } catch (error) {
    // Two deliveries of one message at once: the other one kept it.
    if (error instanceof UniqueConstraintError) return "duplicate";
    throw error;
  }
  return outcome;
}
