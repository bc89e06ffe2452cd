import type { LimitName } from "../models";
import type { PlanRecord } from "./plans";

/** How limits and the pricing page are named in the gate's messages (planGate, readOnly). */
const limitLabels: Record<LimitName, [string, string]> = {
  businesses: ["business", "businesses"],
  customers: ["customer", "customers"],
  teamSeats: ["team member", "team members"],
  campaignsPerMonth: ["campaign a month", "campaigns a month"],
  messagesPerMonth: ["campaign message a month", "campaign messages a month"],
  socialAccounts: ["social account", "social accounts"],
  forms: ["form", "forms"],
};

/** "customer" for one, "customers" for any other count. */
export function limitLabel(name: LimitName, count: number): string {
  const [one, many] = limitLabels[name];
  return count === 1 ? one : many;
}

export function limitOf(plan: PlanRecord, name: LimitName): number {
  return plan.limits[name];
}

/**
 * The pricing page, opened at a feature's or a limit's row, with the plan that unlocks it
 * highlighted (/pricing/<plan>).
 */
export function plansLink(anchor?: string, plan?: string | null): string {
  const path = plan ? `/pricing/${encodeURIComponent(plan)}` : "/pricing";
  return `${path}${anchor ? `#${anchor}` : ""}`;
}
