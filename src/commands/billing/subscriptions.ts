import { UniqueConstraintError, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { Subscription } from "../../models";
import { fallbackPlanCode } from "../../plans/plans";
import { addDays } from "./pricing";

/**
 * An account's subscription row and the plan the gate reads (users.plan_code), changed together
 * in one transaction. States: trialing → active → past_due (renewal unpaid, grace period) →
 * expired (Free). See docs/decisions.md "Billing".
 */
export type BillingDeps = Pick<Deps, "models" | "sequelize" | "clock" | "config" | "logger">;

/** The row, creating it (from the account's current plan) when the account has none yet. */
export async function ensureSubscription(
  deps: Pick<Deps, "models">,
  userId: number,
): Promise<Subscription> {
  const { models } = deps;
  const found = await models.Subscription.findOne({ where: { userId } });
  if (found) return found;
  const user = await models.User.findByPk(userId, { attributes: ["id", "planCode"] });
  try {
    // An account without a row is on a plan with no period: Free, or one set before billing.
    return await models.Subscription.create({
      userId,
      billingBusinessId: null,
      planCode: user?.planCode ?? fallbackPlanCode,
      billingInterval: null,
      status: "active",
      periodStart: null,
      periodEnd: null,
    });
  } catch (error) {
    // Two first requests of one account at once: the other one created it.
    if (!(error instanceof UniqueConstraintError)) throw error;
    const again = await models.Subscription.findOne({ where: { userId } });
    if (!again) throw error;
    return again;
  }
}

/**
 * The row, locked for the rest of the transaction (MariaDB; SQLite serialises writers anyway).
 * Call ensureSubscription first, outside the transaction: creating it inside would wait on
 * SQLite's write lock, which the transaction itself holds.
 */
export async function lockSubscription(
  deps: Pick<Deps, "models">,
  userId: number,
  transaction: Transaction,
): Promise<Subscription> {
  const row = await deps.models.Subscription.findOne({
    where: { userId },
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (!row) throw new Error(`subscription of user ${userId} vanished`);
  return row;
}

/** Sets the plan the gate reads, in the same transaction as the subscription's change. */
export async function setAccountPlan(
  deps: Pick<Deps, "models">,
  userId: number,
  planCode: string,
  transaction: Transaction,
): Promise<void> {
  await deps.models.User.update({ planCode }, { where: { id: userId }, transaction });
}

/** Drops the account to Free: what it owns beyond Free's limits becomes read-only, never deleted. */
export async function expireSubscription(
  deps: Pick<Deps, "models">,
  row: Subscription,
  transaction: Transaction,
): Promise<void> {
  await row.update(
    {
      planCode: fallbackPlanCode,
      status: "expired",
      billingInterval: null,
      graceUntil: null,
      cancelAtPeriodEnd: false,
      nextPlanCode: null,
      nextInterval: null,
      renewalPaymentId: null,
    },
    { transaction },
  );
  await setAccountPlan(deps, row.userId, fallbackPlanCode, transaction);
}

export const trialPlanCode = "silver";

/**
 * A new account's trial (BILLING_TRIAL_DAYS of Silver), started when it creates its first
 * business — the moment a plan starts to matter. Only for an account that never had a
 * subscription and is on Free (an account moved to a plan by hand keeps it). True when started.
 */
export async function startTrial(
  deps: BillingDeps,
  userId: number,
  businessId: number,
): Promise<boolean> {
  const days = deps.config.BILLING_TRIAL_DAYS;
  if (days <= 0) return false;
  const { models, sequelize } = deps;
  const user = await models.User.findByPk(userId, { attributes: ["id", "planCode"] });
  if (!user || user.planCode !== fallbackPlanCode) return false;
  if (await models.Subscription.count({ where: { userId } })) return false;
  const now = deps.clock.now();
  try {
    await sequelize.transaction(async (transaction) => {
      await models.Subscription.create(
        {
          userId,
          billingBusinessId: businessId,
          planCode: trialPlanCode,
          billingInterval: null,
          status: "trialing",
          periodStart: now,
          periodEnd: addDays(now, days),
        },
        { transaction },
      );
      await setAccountPlan(deps, userId, trialPlanCode, transaction);
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) return false;
    throw error;
  }
  return true;
}

/** The subscription of the account that owns a business (plans belong to accounts), if any. */
export function accountSubscription(
  deps: Pick<Deps, "models">,
  ownerId: number,
): Promise<Subscription | null> {
  return deps.models.Subscription.findOne({ where: { userId: ownerId } });
}
