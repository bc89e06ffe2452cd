import { Op, type WhereOptions } from "sequelize";
import type { Subscription } from "../../models";
import { razorpayKeys } from "../../integrations/razorpay/client";
import { fallbackPlanCode, planByCode } from "../../plans/plans";
import { createPaymentOrder } from "./orders";
import { addDays, listPrice } from "./pricing";
import {
  expireSubscription,
  lockSubscription,
  setAccountPlan,
  type BillingDeps,
} from "./subscriptions";

/**
 * The billing cycle, run by the scheduled "billing-cycle" job on the injected clock (and by tests
 * directly). Renewal is by renewal orders, not Razorpay Subscriptions (docs/decisions.md): at a
 * paid period's end the plan goes past due (Razorpay's "pending") with a renewal order the owner
 * pays from /billing; after BILLING_GRACE_DAYS unpaid it expires (Razorpay's "halted") to Free.
 * Trials, grants and cancelled plans expire at their end. Each account changes in its own
 * transaction with its row locked and its state checked again, so two runs at once do no harm.
 */
export interface CycleCounts {
  expired: number;
  pastDue: number;
  renewalOrders: number;
}

export async function runBillingCycle(deps: BillingDeps): Promise<CycleCounts> {
  const now = deps.clock.now();
  const counts: CycleCounts = { expired: 0, pastDue: 0, renewalOrders: 0 };
  const conditions: WhereOptions<Subscription>[] = [
    { status: { [Op.in]: ["trialing", "active"] }, periodEnd: { [Op.lte]: now } },
    { status: "past_due", graceUntil: { [Op.lte]: now } },
  ];
  // A renewal order that could not be created before (Razorpay unreachable) is tried again.
  if (razorpayKeys(deps.config)) conditions.push({ status: "past_due", renewalPaymentId: null });
  const due = await deps.models.Subscription.findAll({
    attributes: ["id", "userId"],
    where: { [Op.or]: conditions },
    order: [["id", "ASC"]],
    limit: 1000,
  });
  for (const { userId } of due) {
    const step = await settle(deps, userId, now);
    if (step === "expired") counts.expired += 1;
    if (step === "past_due") counts.pastDue += 1;
    if (step === "past_due" || step === "order_missing")
      if (await openRenewalOrder(deps, userId)) counts.renewalOrders += 1;
  }
  return counts;
}

type Step = "expired" | "past_due" | "order_missing" | "nothing";

async function settle(deps: BillingDeps, userId: number, now: Date): Promise<Step> {
  const grace = deps.config.BILLING_GRACE_DAYS;
  return deps.sequelize.transaction(async (transaction): Promise<Step> => {
    const sub = await lockSubscription(deps, userId, transaction);
    const ended = sub.periodEnd !== null && sub.periodEnd.getTime() <= now.getTime();
    if (sub.status === "past_due") {
      if (sub.graceUntil && sub.graceUntil.getTime() <= now.getTime()) {
        await expireSubscription(deps, sub, transaction);
        return "expired";
      }
      return sub.renewalPaymentId === null ? "order_missing" : "nothing";
    }
    if ((sub.status !== "trialing" && sub.status !== "active") || !ended) return "nothing";
    const nextCode = sub.nextPlanCode;
    const stops =
      sub.status === "trialing" ||
      sub.billingInterval === null ||
      sub.cancelAtPeriodEnd ||
      nextCode === fallbackPlanCode;
    if (stops) {
      await expireSubscription(deps, sub, transaction);
      return "expired";
    }
    if (nextCode) {
      // A downgrade chosen for the period's end takes effect now; its renewal is at its price.
      await sub.update(
        { planCode: nextCode, billingInterval: sub.nextInterval ?? sub.billingInterval },
        { transaction },
      );
      await setAccountPlan(deps, userId, nextCode, transaction);
    }
    await sub.update(
      {
        status: "past_due",
        graceUntil: addDays(sub.periodEnd ?? now, grace),
        nextPlanCode: null,
        nextInterval: null,
        renewalPaymentId: null,
      },
      { transaction },
    );
    return "past_due";
  });
}

/** The renewal order of a past-due account (none without payment keys: an admin grants then). */
async function openRenewalOrder(deps: BillingDeps, userId: number): Promise<boolean> {
  if (!razorpayKeys(deps.config)) return false;
  const sub = await deps.models.Subscription.findOne({ where: { userId } });
  if (!sub || sub.status !== "past_due" || sub.renewalPaymentId !== null) return false;
  const businessId =
    sub.billingBusinessId ??
    (await deps.models.Business.findOne({ where: { ownerId: userId }, order: [["id", "ASC"]] }))
      ?.id;
  if (!businessId || !sub.billingInterval) return false;
  const plan = await planByCode(deps.models, sub.planCode);
  try {
    const payment = await createPaymentOrder(deps, {
      userId,
      businessId,
      purpose: "renewal",
      plan,
      interval: sub.billingInterval,
      listMinor: listPrice(plan, sub.billingInterval),
      creditMinor: 0,
    });
    const [updated] = await deps.models.Subscription.update(
      { renewalPaymentId: payment.id },
      { where: { id: sub.id, renewalPaymentId: null, status: "past_due" } },
    );
    return updated > 0;
  } catch (error) {
    // Razorpay unreachable: the next run tries again; the grace period runs meanwhile.
    deps.logger.warn({ err: error, userId }, "renewal order not created; retried on the next run");
    return false;
  }
}
