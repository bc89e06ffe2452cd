import { can } from "./policies/permissions";
import { features, shippedFeatures } from "./plans/features";
import { featureLock } from "./plans/planGate";
import type { RequestContext } from "./tenancy/context";

/**
 * The sidebar, built from the feature registry: an entry shows when its pages exist and the
 * member's role may use it. A feature outside the plan stays in the menu with a lock, the plan that
 * unlocks it and a link to the plans page — the same words as the gate's 402. One registry drives
 * both menu and plan gate.
 */
export interface NavigationItem {
  label: string;
  href: string;
  icon: string;
  active: boolean;
  /** Set when the plan lacks the feature: the plan that has it (null: none yet) and why. */
  lock?: { plan: string | null; message: string };
}

function isActive(href: string, currentPath: string): boolean {
  return href === "/"
    ? currentPath === "/"
    : currentPath === href || currentPath.startsWith(`${href}/`);
}

export function navigationFor(
  currentPath: string,
  ctx: RequestContext | undefined,
): NavigationItem[] {
  const items: Array<Omit<NavigationItem, "active">> = [
    { label: "Dashboard", href: "/", icon: "fa-gauge-high" },
  ];
  const role = ctx?.membership?.role;
  if (ctx?.business && role) {
    for (const name of shippedFeatures) {
      const feature = features[name];
      if (!ctx.plan || !can(role, feature.action)) continue;
      const lock = featureLock(ctx.plan, name);
      items.push(
        lock
          ? {
              ...feature,
              href: lock.href,
              lock: { plan: lock.upgradeTo?.name ?? null, message: lock.message },
            }
          : feature,
      );
    }
    items.push({ label: "Team", href: "/team", icon: "fa-users" });
    if (can(role, "business.update"))
      items.push({ label: "Business settings", href: "/business/settings", icon: "fa-gear" });
    if (can(role, "business.update"))
      items.push({ label: "Channels", href: "/settings/channels", icon: "fa-tower-broadcast" });
    // The plan belongs to the owner's account: the owner is the one who can change it.
    if (can(role, "billing.manage"))
      items.push({ label: "Billing", href: "/billing", icon: "fa-credit-card" });
  }
  items.push({ label: "My businesses", href: "/businesses", icon: "fa-briefcase" });
  if (ctx?.user.isPlatformAdmin)
    items.push({ label: "Platform admin", href: "/admin", icon: "fa-user-shield" });
  return items.map((item) => ({
    ...item,
    active: !item.lock && isActive(item.href, currentPath),
  }));
}
