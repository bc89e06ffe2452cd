import { Op, UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import type { Payment } from "../../models";
import { planByCode } from "../../plans/plans";
import { requestInvoice } from "../invoices";
import { formatInr, periodEndFrom, taxableOf } from "./pricing";
import {
  ensureSubscription,
  lockSubscription,
  setAccountPlan,
  type BillingDeps,
} from "./subscriptions";

/**
 * Applying what Razorpay reports, exactly once whatever the order and however often: the
 * checkout callback, payment.captured, order.paid and their retries all end in `capturePayment`,
 * whose conditional update (status not yet captured) lets one caller win; the others find the
 * payment applied and only make sure its invoice was requested.
 */
export type ApplyDeps = BillingDeps & Pick<Deps, "jobs">;

export type CaptureOutcome = "applied" | "already_applied" | "unknown_order" | "amount_mismatch";

export interface CaptureReport {
  orderId: string;
  paymentId: string;
  /** Paise, when the report carries it (webhooks): it must match the order's. */
  amountMinor?: number;
  source: "checkout" | "webhook";
}

export async function capturePayment(deps: ApplyDeps, report: CaptureReport) {
  const { models, sequelize } = deps;
  const payment = await models.Payment.findOne({ where: { orderId: report.orderId } });
  if (!payment) return { outcome: "unknown_order" as CaptureOutcome, payment: null };
  if (report.amountMinor !== undefined && report.amountMinor !== payment.amountMinor) {
    deps.logger.warn(
      { orderId: report.orderId, reported: report.amountMinor, expected: payment.amountMinor },
      "razorpay reported an amount that is not the order's: not applied",
    );
    return { outcome: "amount_mismatch" as CaptureOutcome, payment };
  }
  const now = deps.clock.now();
  await ensureSubscription(deps, payment.userId);
  let applied = false;
  try {
    applied = await sequelize.transaction(async (transaction) => {
      const [won] = await models.Payment.update(
        { status: "captured", paymentId: report.paymentId, capturedAt: now, failureReason: null },
        { where: { id: payment.id, status: { [Op.ne]: "captured" } }, transaction },
      );
      if (won === 0) return false;
      const sub = await lockSubscription(deps, payment.userId, transaction);
      // An upgrade starts a new period now; a renewal continues from the period it renews
      // (paid late within the grace period: no days are given away), or from now once expired.
      const start =
        payment.purpose === "renewal" && sub.status !== "expired" && sub.periodEnd
          ? sub.periodEnd
          : now;
      const end = periodEndFrom(start, payment.billingInterval);
      await sub.update(
        {
          planCode: payment.planCode,
          billingInterval: payment.billingInterval,
          billingBusinessId: payment.businessId,
          status: "active",
          periodStart: start,
          periodEnd: end,
          graceUntil: null,
          cancelAtPeriodEnd: false,
          nextPlanCode: null,
          nextInterval: null,
          renewalPaymentId: null,
        },
        { transaction },
      );
      await models.Payment.update(
        { periodStart: start, periodEnd: end },
        { where: { id: payment.id }, transaction },
      );
      await setAccountPlan(deps, payment.userId, payment.planCode, transaction);
      return true;
    });
  } catch (error) {
    // The same payment id already recorded on another order row: a report for a payment we hold.
    if (!(error instanceof UniqueConstraintError)) throw error;
  }
  const fresh = await models.Payment.findByPk(payment.id);
  if (fresh?.status === "captured") await ensureInvoiceRequested(deps, fresh);
  return { outcome: (applied ? "applied" : "already_applied") as CaptureOutcome, payment: fresh };
}

/** Requests the payment's invoice unless that is done; the invoices area is idempotent too. */
export async function ensureInvoiceRequested(deps: ApplyDeps, payment: Payment): Promise<void> {
  if (payment.invoiceRequestedAt || !payment.paymentId) return;
  const plan = await planByCode(deps.models, payment.planCode);
  const period =
    payment.periodStart && payment.periodEnd
      ? ` (${payment.periodStart.toISOString().slice(0, 10)} to ${payment.periodEnd
          .toISOString()
          .slice(0, 10)})`
      : "";
  const credit =
    payment.creditMinor > 0 ? `, less ${formatInr(payment.creditMinor)} unused time credited` : "";
  await requestInvoice(deps, {
    businessId: payment.businessId,
    paymentRef: payment.paymentId,
    kind: "invoice",
    lines: [
      {
        description: `CRM ${plan.name} plan, ${payment.billingInterval === "year" ? "yearly" : "monthly"}${period}${credit}`,
        amountMinor: payment.taxableMinor,
      },
    ],
  });
  await deps.models.Payment.update(
    { invoiceRequestedAt: deps.clock.now() },
    { where: { id: payment.id, invoiceRequestedAt: null } },
  );
}

/**
 * A failed attempt: recorded on an order still waiting, never on a captured one (a failure
 * reported after the success, out of order, changes nothing). A later success on the same order
 * still applies.
 */
export async function failPayment(
  deps: Pick<Deps, "models">,
  report: { orderId: string; reason: string },
): Promise<"recorded" | "ignored"> {
  const [count] = await deps.models.Payment.update(
    { status: "failed", failureReason: report.reason.slice(0, 300) },
    { where: { orderId: report.orderId, status: { [Op.ne]: "captured" } } },
  );
  return count > 0 ? "recorded" : "ignored";
}

/** refund.processed: recorded once per refund id, with a credit note for its taxable part. */
export async function recordRefund(
  deps: ApplyDeps,
  report: { refundId: string; paymentId: string; amountMinor: number },
): Promise<"recorded" | "already_recorded" | "unknown_payment"> {
  const { models, sequelize } = deps;
  const payment = await models.Payment.findOne({ where: { paymentId: report.paymentId } });
  if (!payment) return "unknown_payment";
  let outcome: "recorded" | "already_recorded" = "recorded";
  try {
    await sequelize.transaction(async (transaction) => {
      await models.PaymentRefund.create(
        {
          businessId: payment.businessId,
          paymentId: payment.id,
          refundId: report.refundId,
          amountMinor: report.amountMinor,
        },
        { transaction },
      );
      await models.Payment.increment("refundedMinor", {
        by: report.amountMinor,
        where: { id: payment.id },
        transaction,
      });
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    outcome = "already_recorded";
  }
  // Requested on every report: idempotent per refund, and it heals a request that failed before.
  await requestInvoice(deps, {
    businessId: payment.businessId,
    paymentRef: report.refundId,
    kind: "credit_note",
    creditFor: report.paymentId,
    lines: [
      {
        description: `Refund of payment ${report.paymentId}`,
        amountMinor: taxableOf(report.amountMinor),
      },
    ],
  });
  return outcome;
}

/**
 * The payment Razorpay's Checkout posts back to (/billing/pay/:paymentId/callback). Looked up
 * platform-wide like capturePayment's order lookup: the post carries no session or business, and
 * nothing is applied unless the signature matches the order stored on this very row.
 */
export async function paymentForCheckoutCallback(
  deps: Pick<Deps, "models">,
  paymentId: number,
): Promise<Payment | null> {
  return deps.models.Payment.findByPk(paymentId);
}
