import type { Action } from "../policies/permissions";

/**
 * Every plan-gated feature, with the menu entry that opens it. The sidebar and the plan gate both
 * read this registry: a feature missing from the plan is missing from the menu too.
 */
export interface Feature {
  label: string;
  href: string;
  icon: string;
  /** The permission a member needs to see the entry. */
  action: Action;
}

export const features = {
  customers: {
    label: "Customers",
    href: "/customers",
    icon: "fa-address-book",
    action: "customers.view",
  },
  tasks: { label: "Tasks", href: "/tasks", icon: "fa-list-check", action: "tasks.manage" },
  imports: {
    label: "Imports",
    href: "/imports",
    icon: "fa-file-import",
    action: "customers.manage",
  },
  segments: { label: "Segments", href: "/segments", icon: "fa-filter", action: "customers.view" },
  campaigns: {
    label: "Campaigns",
    href: "/campaigns",
    icon: "fa-bullhorn",
    action: "campaigns.manage",
  },
  forms: { label: "Forms", href: "/forms", icon: "fa-rectangle-list", action: "campaigns.manage" },
  social: {
    label: "Social posts",
    href: "/social",
    icon: "fa-share-nodes",
    action: "campaigns.manage",
  },
  leads: { label: "Leads", href: "/leads", icon: "fa-user-plus", action: "leads.view" },
  deals: { label: "Deals", href: "/deals", icon: "fa-handshake", action: "deals.view" },
  analytics: {
    label: "Analytics",
    href: "/analytics",
    icon: "fa-chart-line",
    action: "analytics.view",
  },
  tickets: { label: "Tickets", href: "/tickets", icon: "fa-life-ring", action: "tickets.view" },
  api: { label: "API", href: "/settings/api", icon: "fa-code", action: "business.update" },
  webhooks: {
    label: "Webhooks",
    href: "/settings/webhooks",
    icon: "fa-plug",
    action: "webhooks.manage",
  },
} satisfies Record<string, Feature>;

export type FeatureName = keyof typeof features;

export function isFeatureName(value: string): value is FeatureName {
  return value in features;
}

/**
 * Features whose pages exist. A feature joins the menu when its pages ship, so nobody is shown a
 * link to nothing; later issues add their names here.
 */
export const shippedFeatures = new Set<FeatureName>([
  "customers",
  "tasks",
  "segments",
  "imports",
  "campaigns",
  "forms",
  "social",
  "leads",
  "deals",
  "analytics",
  "tickets",
  "webhooks",
]);
