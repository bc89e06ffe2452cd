import type { LimitName } from "../models";
import { features, shippedFeatures, type FeatureName } from "../plans/features";
import type { PlanRecord } from "../plans/plans";
import type { RequestContext } from "../tenancy/context";

/**
 * The plans page: every plan of the catalogue with its limits and features, the current one
 * marked. Only what the app does today is listed as included; features whose pages have not
 * shipped are listed apart as "coming later", and so are the limits that belong to them.
 */
const limitRows: Array<{ name: LimitName; label: string; feature?: FeatureName }> = [
  { name: "customers", label: "Customers" },
  { name: "teamSeats", label: "Team members" },
  { name: "businesses", label: "Businesses" },
  { name: "campaignsPerMonth", label: "Campaigns a month", feature: "campaigns" },
  { name: "messagesPerMonth", label: "Campaign messages a month", feature: "campaigns" },
  { name: "socialAccounts", label: "Social accounts", feature: "social" },
  { name: "forms", label: "Lead-capture forms", feature: "forms" },
];

const live = (feature?: FeatureName) => feature === undefined || shippedFeatures.has(feature);
const featureNames = Object.keys(features) as FeatureName[];

function amount(value: number): string {
  return value < 0 ? "Unlimited" : value.toLocaleString("en-IN");
}

function price(plan: PlanRecord): string {
  const formatted = new Intl.NumberFormat("en-IN", {
    style: "currency",
    currency: plan.currency,
    maximumFractionDigits: 0,
  }).format(plan.priceMinor / 100);
  return `${formatted} a month`;
}

export function presentPlans(plans: PlanRecord[], ctx: RequestContext | undefined) {
  const current = ctx?.plan?.code ?? null;
  const cards = plans.map((plan, index) => {
    const previous = index > 0 ? plans[index - 1] : undefined;
    const included = featureNames.filter((f) => plan.features.includes(f));
    const isNew = (f: FeatureName) => !previous?.features.includes(f);
    return {
      code: plan.code,
      name: plan.name,
      price: price(plan),
      current: plan.code === current,
      previousName: previous?.name ?? null,
      limits: limitRows
        .filter((row) => live(row.feature))
        .map((row) => ({ label: row.label, value: amount(plan.limits[row.name]) })),
      features: included.filter((f) => live(f) && isNew(f)).map((f) => features[f].label),
      later: included.filter((f) => !live(f) && isNew(f)).map((f) => features[f].label),
    };
  });
  const shipped = featureNames.filter((f) => live(f));
  return {
    plans: cards,
    business: ctx?.business?.name ?? null,
    currentName: ctx?.plan?.name ?? null,
    isOwner: Boolean(ctx?.business && ctx.business.ownerId === ctx.user.id),
    signedIn: Boolean(ctx),
    /** Plans side by side; rows carry the anchors locked buttons link to (planGate.plansLink). */
    compare: {
      heads: plans.map((plan) => ({ name: plan.name, current: plan.code === current })),
      features: shipped.map((f) => ({
        id: `feature-${f}`,
        label: features[f].label,
        cells: plans.map((plan) => ({ yes: plan.features.includes(f) })),
      })),
      limits: limitRows
        .filter((row) => live(row.feature))
        .map((row) => ({
          id: `limit-${row.name}`,
          label: row.label,
          cells: plans.map((plan) => ({
            unlimited: plan.limits[row.name] < 0,
            text: amount(plan.limits[row.name]),
          })),
        })),
    },
    laterFeatures: featureNames.filter((f) => !live(f)).map((f) => features[f].label),
  };
}
