import type { Models, Plan, PlanLimits } from "../models";

/** A plan as the app reads it: limits and features parsed, no model instance. */
export interface PlanRecord {
  code: string;
  name: string;
  priceMinor: number;
  currency: string;
  limits: PlanLimits;
  features: string[];
}

export function planRecordOf(plan: Plan): PlanRecord {
  return {
    code: plan.code,
    name: plan.name,
    priceMinor: plan.priceMinor,
    currency: plan.currency,
    limits: JSON.parse(plan.limits) as PlanLimits,
    features: JSON.parse(plan.features) as string[],
  };
}

/** Accounts without a plan of their own, or naming one that no longer exists, get this one. */
export const fallbackPlanCode = "free";

const cacheMs = 60_000;
const caches = new WeakMap<Models, Map<string, { plan: PlanRecord | null; until: number }>>();

/**
 * The plan with this code. Plans are reference rows that change only with a migration or an
 * operator's edit, so each process keeps them a minute instead of reading them per request; which
 * plan an owner is on (users.plan_code) is always read fresh by the context loader.
 */
export async function planByCode(models: Models, code: string): Promise<PlanRecord> {
  let cache = caches.get(models);
  if (!cache) caches.set(models, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(code);
  let plan = hit && hit.until > now ? hit.plan : undefined;
  if (plan === undefined) {
    const row = await models.Plan.findOne({ where: { code } });
    plan = row ? planRecordOf(row) : null;
    cache.set(code, { plan, until: now + cacheMs });
  }
  if (plan) return plan;
  if (code === fallbackPlanCode) throw new Error(`The "${fallbackPlanCode}" plan is not seeded`);
  return planByCode(models, fallbackPlanCode);
}

/** The plan of an account: what applies to every business it owns. */
export async function planOfOwner(models: Models, ownerId: number): Promise<PlanRecord> {
  const owner = await models.User.findByPk(ownerId, { attributes: ["id", "planCode"] });
  return planByCode(models, owner?.planCode ?? fallbackPlanCode);
}
