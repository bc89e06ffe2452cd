import type { LimitName, Models, Plan, PlanLimits } from "../models";

/** A plan named by another: the one to move to for a feature or a larger limit. */
export interface PlanRef {
  code: string;
  name: string;
}

/** A plan as the app reads it: limits and features parsed, no model instance. */
export interface PlanRecord {
  code: string;
  name: string;
  /** Monthly price, GST excluded (minor units). */
  priceMinor: number;
  /** Yearly price, GST excluded (minor units). */
  priceYearlyMinor: number;
  currency: string;
  limits: PlanLimits;
  features: string[];
  /**
   * For each feature this plan lacks, the cheapest plan that has it; for each limit, the cheapest
   * plan that allows more. Worked out from the catalogue when it is read, so a page can say which
   * plan unlocks something without another query.
   */
  upgrades: {
    features: Partial<Record<string, PlanRef>>;
    limits: Partial<Record<LimitName, PlanRef>>;
  };
}

/** One plan row, on its own (no upgrades: those need the catalogue). */
export function planRecordOf(plan: Plan): PlanRecord {
  return {
    code: plan.code,
    name: plan.name,
    priceMinor: plan.priceMinor,
    priceYearlyMinor: plan.priceYearlyMinor,
    currency: plan.currency,
    limits: JSON.parse(plan.limits) as PlanLimits,
    features: JSON.parse(plan.features) as string[],
    upgrades: { features: {}, limits: {} },
  };
}

/** Whether `a` allows more than `b` (-1 is unlimited). */
function allowsMore(a: number, b: number): boolean {
  return b >= 0 && (a < 0 || a > b);
}

/** Plans in their order (cheapest first), each told which later plan unlocks what it lacks. */
export function withUpgrades(plans: PlanRecord[]): PlanRecord[] {
  return plans.map((plan, index) => {
    const later = plans.slice(index + 1);
    const features: Record<string, PlanRef> = {};
    for (const other of later)
      for (const feature of other.features)
        if (!plan.features.includes(feature) && !features[feature])
          features[feature] = { code: other.code, name: other.name };
    const limits: Partial<Record<LimitName, PlanRef>> = {};
    for (const name of Object.keys(plan.limits) as LimitName[]) {
      const roomier = later.find((other) => allowsMore(other.limits[name], plan.limits[name]));
      if (roomier) limits[name] = { code: roomier.code, name: roomier.name };
    }
    return { ...plan, upgrades: { features, limits } };
  });
}

/** Accounts without a plan of their own, or naming one that no longer exists, get this one. */
export const fallbackPlanCode = "free";

const cacheMs = 60_000;
const caches = new WeakMap<Models, { plans: PlanRecord[]; until: number }>();

/**
 * Every plan, cheapest first: the one registry the plan gate, the sidebar and the plans page read.
 * Plans are reference rows that change only with a migration or an operator's edit, so each
 * process keeps them a minute instead of reading them per request (all four in one statement);
 * which plan an owner is on (users.plan_code) is always read fresh by the context loader.
 */
export async function planCatalogue(models: Models): Promise<PlanRecord[]> {
  const now = Date.now();
  const hit = caches.get(models);
  if (hit && hit.until > now) return hit.plans;
  const rows = await models.Plan.findAll({ order: [["sortOrder", "ASC"]] });
  const plans = withUpgrades(rows.map(planRecordOf));
  caches.set(models, { plans, until: now + cacheMs });
  return plans;
}

/** The plan with this code (the fallback plan when no such plan exists). */
export async function planByCode(models: Models, code: string): Promise<PlanRecord> {
  const plans = await planCatalogue(models);
  const plan = plans.find((p) => p.code === code) ?? plans.find((p) => p.code === fallbackPlanCode);
  if (!plan) throw new Error(`The "${fallbackPlanCode}" plan is not seeded`);
  return plan;
}

/** The plan of an account: what applies to every business it owns. */
export async function planOfOwner(models: Models, ownerId: number): Promise<PlanRecord> {
  const owner = await models.User.findByPk(ownerId, { attributes: ["id", "planCode"] });
  return planByCode(models, owner?.planCode ?? fallbackPlanCode);
}
