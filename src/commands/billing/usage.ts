import type { Deps } from "../../deps";
import type { LimitName } from "../../models";
import { shippedFeatures, type FeatureName } from "../../plans/features";
import type { PlanRecord } from "../../plans/plans";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";

/** One limit of the plan against what the business (or account) uses. */
export interface UsageRow {
  name: LimitName;
  label: string;
  used: number;
  /** -1: unlimited. */
  limit: number;
  /** Over the limit: the excess is read-only until an upgrade (or until enough is removed). */
  over: boolean;
  /** What is read-only while over, and how to get back under (readOnly.ts's rule per limit). */
  overNote: string | null;
  percent: number;
}

function overNoteOf(name: LimitName, limit: number): string {
  switch (name) {
    case "businesses":
      return `Only your first ${limit === 1 ? "business" : `${limit} businesses`} can be changed; later ones are read-only until you upgrade or delete some. Nothing is deleted.`;
    case "teamSeats":
      return `Members who joined after the first ${limit} can read but not change anything until you upgrade or remove members.`;
    default:
      return "Over the limit: these records are kept but read-only until you upgrade or remove some.";
  }
}

/** Limits whose features are built; the others are listed on /pricing as coming later. */
const rows: Array<{ name: LimitName; label: string; feature?: FeatureName }> = [
  { name: "customers", label: "Customers" },
  { name: "teamSeats", label: "Team members" },
  { name: "businesses", label: "Businesses you own" },
  { name: "forms", label: "Lead-capture forms", feature: "forms" },
];

export async function usageOf(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  plan: PlanRecord,
): Promise<UsageRow[]> {
  const { models } = deps;
  const counts: Partial<Record<LimitName, number>> = {
    customers: ctx.business.customerCount,
    teamSeats: await models.Membership.count({ where: tenantWhere(ctx, models.Membership) }),
    businesses: await models.Business.count({ where: { ownerId: ctx.business.ownerId } }),
  };
  if (shippedFeatures.has("forms"))
    counts.forms = await models.Form.count({ where: tenantWhere(ctx, models.Form) });
  return rows
    .filter((row) => counts[row.name] !== undefined)
    .map((row) => {
      const used = counts[row.name] ?? 0;
      const limit = plan.limits[row.name];
      const over = limit >= 0 && used > limit;
      return {
        name: row.name,
        label: row.label,
        used,
        limit,
        over,
        overNote: over ? overNoteOf(row.name, limit) : null,
        percent: limit <= 0 ? 0 : Math.min(100, Math.round((used / limit) * 100)),
      };
    });
}
