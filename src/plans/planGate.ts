import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors";
import type { LimitName } from "../models";
import { features, type FeatureName } from "./features";
import type { PlanRecord } from "./plans";

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
  throw new AppError(
    "plan_limit",
    `Your ${plan.name} plan allows ${limit} ${limit === 1 ? one : many}` +
      (left > 0 ? `; ${left} more fit.` : ".") +
      " Upgrade your plan to add more.",
    { limit: name, allowed: limit, used, plan: plan.code },
  );
}

/** Route guard: the current business's plan must include the feature. */
export function requireFeature(feature: FeatureName) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (hasFeature(req.ctx?.plan ?? null, feature)) return next();
    next(
      new AppError(
        "plan_limit",
        `${features[feature].label} is not part of your ${req.ctx?.plan?.name ?? "current"} plan. Upgrade to use it.`,
        { feature },
      ),
    );
  };
}
