import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors";
import type { LimitName } from "../models";
import { features, type FeatureName } from "./features";
import type { PlanRecord, PlanRef } from "./plans";

/**
 * The one plan gate: features a plan includes and limits it sets. Every check in the app calls
 * these, so an upgrade message always reads the same way.
 */
const limitLabels: Record<LimitName, [string, string]> = {
  businesses: ["business", "businesses"],
  customers: ["customer", "customers"],
  teamSeats: ["team member", "team members"],
  campaignsPerMonth: ["campaign a month", "campaigns a month"],
  socialAccounts: ["social account", "social accounts"],
  forms: ["form", "forms"],
};

export function limitOf(plan: PlanRecord, name: LimitName): number {
  return plan.limits[name];
}

export function hasFeature(plan: PlanRecord | null, feature: FeatureName): boolean {
  return plan !== null && plan.features.includes(feature);
}

/** How many more fit under the limit (Infinity when unlimited). */
export function remaining(plan: PlanRecord, name: LimitName, used: number): number {
  const limit = limitOf(plan, name);
  return limit < 0 ? Number.POSITIVE_INFINITY : Math.max(0, limit - used);
}

/** Where the plans are listed, opened at a feature or a limit. */
export function plansLink(anchor?: string): string {
  return anchor ? `/plans#${anchor}` : "/plans";
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
  const [one, many] = limitLabels[name];
  const upgradeTo = plan.upgrades.limits[name];
  throw new AppError(
    "plan_limit",
    `Your ${plan.name} plan allows ${limit} ${limit === 1 ? one : many}` +
      (left > 0 ? `; ${left} more fit.` : ".") +
      " Upgrade your plan to add more.",
    {
      limit: name,
      allowed: limit,
      used,
      plan: plan.code,
      ...(upgradeTo ? { upgradeTo } : {}),
      plansUrl: plansLink(`limit-${name}`),
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
  return { feature, label, upgradeTo, message, href: plansLink(`feature-${feature}`) };
}

/** Route guard: the current business's plan must include the feature. */
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
