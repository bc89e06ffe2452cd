import type { Request } from "express";
import { AppError } from "../../errors";
import type { BillingInterval, Payment, Subscription } from "../../models";
import { fallbackPlanCode, planCatalogue, type PlanRecord } from "../../plans/plans";
import { logActivity } from "../activityLogger";
import { createPaymentOrder } from "./orders";
import { addDays, formatInr, listPrice, prorationCredit } from "./pricing";
import {
  ensureSubscription,
  expireSubscription,
  lockSubscription,
  setAccountPlan,
  type BillingDeps,
} from "./subscriptions";

/**
 * What an owner can do to their account's plan from /pricing and /billing: upgrade (pay now, the
 * unused paid time credited), downgrade (at the period's end, or now), cancel (at the period's
 * end), resume; and what a platform admin can do without payments: grant a plan by hand.
 */
export interface PlanChoice {
  planCode: string;
  interval: BillingInterval;
  /** Downgrades only: "now" switches at once (no refund), "period_end" at renewal. */
  when: "now" | "period_end";
}

/** A change made or planned, and the sentence that says so. */
export type ChangeNotice = { kind: "scheduled" | "changed"; message: string };
export type ChangeResult = { kind: "checkout"; payment: Payment } | ChangeNotice;

async function planIndex(deps: BillingDeps, code: string) {
  const plans = await planCatalogue(deps.models);
  const index = plans.findIndex((plan) => plan.code === code);
  return { plans, index, plan: plans[index] };
}

/** A paid period in progress (not a trial, not a grant, not Free). */
function paying(sub: Subscription): boolean {
  return (
    (sub.status === "active" || sub.status === "past_due") &&
    sub.billingInterval !== null &&
    sub.planCode !== fallbackPlanCode
  );
}

/** The credit for the paid period an upgrade replaces (the payment that paid it, pro rata). */
async function creditFor(deps: BillingDeps, sub: Subscription): Promise<number> {
  if (sub.status !== "active" || !sub.periodStart || !sub.periodEnd) return 0;
  const paid = await deps.models.Payment.findOne({
    where: { userId: sub.userId, status: "captured", periodEnd: sub.periodEnd },
    order: [["id", "DESC"]],
  });
  if (!paid?.periodStart) return 0;
  return prorationCredit(paid.taxableMinor, paid.periodStart, sub.periodEnd, deps.clock.now());
}

export async function changePlan(
  deps: BillingDeps,
  who: { userId: number; businessId: number },
  choice: PlanChoice,
): Promise<ChangeResult> {
  const { plans, index: target, plan } = await planIndex(deps, choice.planCode);
  if (!plan) throw new AppError("validation_failed", "Choose one of the plans listed.");
  const sub = await ensureSubscription(deps, who.userId);
  const current = plans.findIndex((p) => p.code === sub.planCode);
  if (plan.code === fallbackPlanCode) return cancelPlan(deps, who.userId, choice.when);

  const isPaying = paying(sub);
  const longer = sub.billingInterval === "month" && choice.interval === "year";
  const upgrade = !isPaying || target > current || (target === current && longer);
  if (isPaying && target === current && sub.billingInterval === choice.interval)
    throw new AppError("conflict", `Your account is already on ${plan.name}, billed this way.`);
  if (upgrade) return startUpgrade(deps, who, sub, plan, choice.interval);

  if (choice.when === "now") {
    await deps.sequelize.transaction(async (transaction) => {
      const row = await lockSubscription(deps, who.userId, transaction);
      await row.update(
        {
          planCode: plan.code,
          billingInterval: choice.interval,
          nextPlanCode: null,
          nextInterval: null,
          cancelAtPeriodEnd: false,
        },
        { transaction },
      );
      await setAccountPlan(deps, who.userId, plan.code, transaction);
    });
    return {
      kind: "changed",
      message: `Your account is on ${plan.name} now; the next renewal is at its price. The paid time is not refunded.`,
    };
  }
  await sub.update({
    nextPlanCode: plan.code,
    nextInterval: choice.interval,
    cancelAtPeriodEnd: false,
  });
  return {
    kind: "scheduled",
    message: `Your account moves to ${plan.name} when the current period ends.`,
  };
}

async function startUpgrade(
  deps: BillingDeps,
  who: { userId: number; businessId: number },
  sub: Subscription,
  plan: PlanRecord,
  interval: BillingInterval,
): Promise<ChangeResult> {
  const list = listPrice(plan, interval);
  const credit = await creditFor(deps, sub);
  if (list - credit < 100)
    throw new AppError(
      "validation_failed",
      `The unused part of your current period (${formatInr(credit)}) covers ${plan.name}'s price: choose yearly billing, or switch when the period ends.`,
    );
  const payment = await createPaymentOrder(deps, {
    userId: who.userId,
    businessId: who.businessId,
    purpose: "upgrade",
    plan,
    interval,
    listMinor: list,
    creditMinor: credit,
  });
  return { kind: "checkout", payment };
}

/**
 * Cancel: a paid plan runs to its period's end, then the account drops to Free; `now` (or a trial,
 * which has nothing paid to run out) drops at once.
 */
export async function cancelPlan(
  deps: BillingDeps,
  userId: number,
  when: "now" | "period_end",
): Promise<ChangeNotice> {
  const sub = await ensureSubscription(deps, userId);
  if (sub.planCode === fallbackPlanCode)
    throw new AppError("conflict", "Your account is on Free already.");
  if (when === "now" || !paying(sub)) {
    await deps.sequelize.transaction(async (transaction) => {
      await expireSubscription(
        deps,
        await lockSubscription(deps, userId, transaction),
        transaction,
      );
    });
    return {
      kind: "changed",
      message:
        "Your account is on Free now. What goes beyond Free's limits stays, read-only, until you upgrade.",
    };
  }
  await sub.update({ cancelAtPeriodEnd: true, nextPlanCode: null, nextInterval: null });
  return {
    kind: "scheduled",
    message: "Cancelled: your plan runs to the end of the period you paid for, then moves to Free.",
  };
}

/** Undoes a cancellation or a downgrade planned for the period's end. */
export async function resumePlan(deps: BillingDeps, userId: number): Promise<ChangeNotice> {
  const sub = await ensureSubscription(deps, userId);
  if (!sub.cancelAtPeriodEnd && !sub.nextPlanCode)
    throw new AppError("conflict", "Nothing is planned for the end of the period.");
  await sub.update({ cancelAtPeriodEnd: false, nextPlanCode: null, nextInterval: null });
  return { kind: "changed", message: "Your plan renews as before." };
}

/**
 * A platform admin's grant, for servers without payments (and for goodwill): the account is on
 * `planCode` for `days` days (then Free), or with no end. Written to the admin's activity log
 * and the account's.
 */
export async function grantPlan(
  deps: BillingDeps,
  admin: { id: number; email: string },
  input: { email: string; planCode: string; days: number | null },
  req: Request | null = null,
): Promise<{ userId: number; planName: string }> {
  const { plan } = await planIndex(deps, input.planCode);
  if (!plan) throw new AppError("validation_failed", "Choose one of the plans listed.");
  const user = await deps.models.User.findOne({ where: { email: input.email.toLowerCase() } });
  if (!user) throw new AppError("validation_failed", "No account has that e-mail address.");
  const now = deps.clock.now();
  await ensureSubscription(deps, user.id);
  await deps.sequelize.transaction(async (transaction) => {
    const row = await lockSubscription(deps, user.id, transaction);
    if (plan.code === fallbackPlanCode) return expireSubscription(deps, row, transaction);
    await row.update(
      {
        planCode: plan.code,
        billingInterval: null,
        status: "active",
        periodStart: now,
        periodEnd: input.days === null ? null : addDays(now, input.days),
        graceUntil: null,
        cancelAtPeriodEnd: false,
        nextPlanCode: null,
        nextInterval: null,
        renewalPaymentId: null,
      },
      { transaction },
    );
    await setAccountPlan(deps, user.id, plan.code, transaction);
  });
  const details = {
    account: user.email,
    plan: plan.code,
    days: input.days,
    grantedBy: admin.email,
  };
  await logActivity(deps.models, req, {
    userId: admin.id,
    action: "billing.plan_granted",
    details,
  });
  await logActivity(deps.models, null, {
    userId: user.id,
    action: "billing.plan_granted",
    details,
  });
  return { userId: user.id, planName: plan.name };
}
