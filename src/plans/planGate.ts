import type { NextFunction, Request, Response } from "express";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { LimitName } from "../models";
import { features, type FeatureName } from "./features";
import { limitLabel, limitOf, plansLink } from "./limitText";
import type { PlanRecord, PlanRef } from "./plans";
import { isChangingWrite, readOnlyLockFor, standingOf } from "./readOnly";

export { beyondLimitLock } from "./readOnly";

/**
 * The one plan gate: features a plan includes and limits it sets. Every check in the app calls
 * these, so an upgrade message always reads the same way.
 */
export { limitLabel, limitOf, plansLink };

export function hasFeature(plan: PlanRecord | null, feature: FeatureName): boolean {
  return plan !== null && plan.features.includes(feature);
}

/** How many more fit under the limit (Infinity when unlimited). */
export function remaining(plan: PlanRecord, name: LimitName, used: number): number {
  const limit = limitOf(plan, name);
  return limit < 0 ? Number.POSITIVE_INFINITY : Math.max(0, limit - used);
}

/** Throws plan_limit (402) when adding `adding` more would pass the plan's limit. */
export function assertWithinLimit(
  plan: PlanRecord,
  name: LimitName,
  used: number,
  adding = 1,
): void {
  const left = remaining(plan, name, used);
  if (adding <= left) return;
  const limit = limitOf(plan, name);
  const upgradeTo = plan.upgrades.limits[name];
  throw new AppError(
    "plan_limit",
    `Your ${plan.name} plan allows ${limit} ${limitLabel(name, limit)}` +
      (left > 0 ? `; ${left} more fit.` : ".") +
      " Upgrade your plan to add more.",
    {
      limit: name,
      allowed: limit,
      used,
      plan: plan.code,
      ...(upgradeTo ? { upgradeTo } : {}),
      plansUrl: plansLink(`limit-${name}`, upgradeTo?.code),
    },
  );
}

/**
 * What stands between a plan and a feature: nothing (null), or the cheapest plan that includes it
 * and the words to say so. Buttons and menu entries show it as a lock; the gate's 402 says the same.
 */
export interface FeatureLock {
  feature: FeatureName;
  label: string;
  /** The cheapest plan with the feature; null when no plan has it yet. */
  upgradeTo: PlanRef | null;
  message: string;
  href: string;
}

export function featureLock(plan: PlanRecord | null, feature: FeatureName): FeatureLock | null {
  if (hasFeature(plan, feature)) return null;
  const label = features[feature].label;
  const upgradeTo = plan?.upgrades.features[feature] ?? null;
  const message = !plan
    ? `${label} belongs to a business: choose one first.`
    : upgradeTo
      ? `The ${upgradeTo.name} plan and above include ${label}; this business is on the ${plan.name} plan.`
      : `${label} is not part of any plan yet.`;
  return {
    feature,
    label,
    upgradeTo,
    message,
    href: plansLink(`feature-${feature}`, upgradeTo?.code),
  };
}

/**
 * 402 when a write would change customers held beyond the plan's limit; null when allowed. The
 * whole rule (businesses, seats, forms too) is readOnlyLockFor in readOnly.ts.
 */
export function readOnlyLock(
  plan: PlanRecord | null,
  feature: FeatureName,
  request: { method: string; path: string; used: number | null },
): AppError | null {
  if (request.used === null) return null;
  return readOnlyLockFor(plan, feature, request, {
    businessRank: 0,
    seatRank: 0,
    held: { customers: request.used },
  });
}

/** Route guard: the current business's plan must include the feature (402 with the plan that has it). */
export function requireFeature(feature: FeatureName) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const plan = req.ctx?.plan ?? null;
    const lock = featureLock(plan, feature);
    if (!lock) return next();
    next(
      new AppError("plan_limit", lock.message, {
        feature,
        featureLabel: lock.label,
        plan: plan?.code ?? null,
        upgradeTo: lock.upgradeTo,
        plansUrl: lock.href,
      }),
    );
  };
}

/**
 * Route guard after the permission check (someone who may not write at all hears 403, not 402):
 * what the account holds beyond a limit of its plan is read-only (readOnly.ts), so a changing
 * write there is a 402 plan_limit with details.readOnly.
 */
export function requireWithinLimits(feature: FeatureName, deps: Pick<Deps, "models">) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const ctx = req.ctx;
    const plan = ctx?.plan ?? null;
    if (!ctx?.business || !ctx.membership || !plan || !isChangingWrite(req)) return next();
    const tenant = { ...ctx, business: ctx.business, membership: ctx.membership, plan };
    const standing = await standingOf(deps, tenant, feature);
    next(readOnlyLockFor(plan, feature, req, standing) ?? undefined);
  };
}
