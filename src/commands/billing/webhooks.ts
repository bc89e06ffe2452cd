import { UniqueConstraintError } from "sequelize";
import { z } from "zod";
import { capturePayment, failPayment, recordRefund, type ApplyDeps } from "./apply";

/**
 * A verified Razorpay webhook (the route checked X-Razorpay-Signature on the raw body), applied
 * once: an event id already handled is acknowledged and skipped; everything else is idempotent on
 * the payment (or refund) id, so an event without its id header, or the same payment reported by
 * another event, applies once too. Events may come in any order: a failure reported after the
 * capture changes nothing, a capture after a failure applies.
 */
const entity = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ entity: z.object(shape).loose() }).loose();

const paymentEntity = entity({
  id: z.string().min(1).max(64),
  order_id: z.string().min(1).max(64).nullish(),
  amount: z.number().int().nonnegative(),
  error_description: z.string().nullish(),
  error_reason: z.string().nullish(),
});

export const razorpayEventSchema = z
  .object({
    entity: z.literal("event"),
    event: z.string().min(1).max(64),
    payload: z
      .object({
        payment: paymentEntity.optional(),
        order: entity({ id: z.string().min(1).max(64), amount_paid: z.number().int() }).optional(),
        refund: entity({
          id: z.string().min(1).max(64),
          payment_id: z.string().min(1).max(64),
          amount: z.number().int().positive(),
        }).optional(),
      })
      .loose(),
  })
  .loose();

export type RazorpayEventBody = z.output<typeof razorpayEventSchema>;

export type EventOutcome =
  | "duplicate_event"
  | "applied"
  | "already_applied"
  | "unknown_order"
  | "amount_mismatch"
  | "failure_recorded"
  | "failure_ignored"
  | "refund_recorded"
  | "refund_already_recorded"
  | "unknown_payment"
  | "ignored";

export async function handleRazorpayEvent(
  deps: ApplyDeps,
  eventId: string | null,
  body: RazorpayEventBody,
): Promise<EventOutcome> {
  const { models } = deps;
  if (eventId && (await models.RazorpayEvent.count({ where: { eventId } })) > 0)
    return "duplicate_event";
  const outcome = await apply(deps, body);
  if (eventId) {
    try {
      await models.RazorpayEvent.create({ eventId, event: body.event, outcome });
    } catch (error) {
      // The same event delivered twice at once: both applied idempotently; one row is enough.
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
  }
  return outcome;
}

async function apply(deps: ApplyDeps, body: RazorpayEventBody): Promise<EventOutcome> {
  const payment = body.payload.payment?.entity;
  switch (body.event) {
    case "payment.captured":
    case "order.paid": {
      const orderId = payment?.order_id ?? body.payload.order?.entity.id;
      if (!payment || !orderId) return "ignored";
      const { outcome } = await capturePayment(deps, {
        orderId,
        paymentId: payment.id,
        amountMinor: payment.amount,
        source: "webhook",
      });
      return outcome;
    }
    case "payment.failed": {
      if (!payment?.order_id) return "ignored";
      const reason = payment.error_description ?? payment.error_reason ?? "The payment failed.";
      const result = await failPayment(deps, { orderId: payment.order_id, reason });
      return result === "recorded" ? "failure_recorded" : "failure_ignored";
    }
    case "refund.processed": {
      const refund = body.payload.refund?.entity;
      if (!refund) return "ignored";
      const result = await recordRefund(deps, {
        refundId: refund.id,
        paymentId: refund.payment_id,
        amountMinor: refund.amount,
      });
      return result === "recorded"
        ? "refund_recorded"
        : result === "already_recorded"
          ? "refund_already_recorded"
          : "unknown_payment";
    }
    default:
      // payment.authorized, refund.created/failed and subscription.* (renewal is by orders here,
      // not Razorpay Subscriptions): acknowledged, nothing to apply.
      return "ignored";
  }
}
