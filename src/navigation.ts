import { can } from "./policies/permissions";
import { features, shippedFeatures } from "./plans/features";
import { hasFeature } from "./plans/planGate";
import type { RequestContext } from "./tenancy/context";

/**
 * The sidebar, built from the feature registry: an entry shows when its pages exist, the plan
 * includes it and the member's role may use it. One registry drives both menu and plan gate.
 */
export interface NavigationItem {
  label: string;
  href: string;
  icon: string;
  active: boolean;
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
      if (hasFeature(ctx.plan, name) && can(role, feature.action)) items.push(feature);
    }
    items.push({ label: "Team", href: "/team", icon: "fa-users" });
    if (can(role, "business.update"))
      items.push({ label: "Business settings", href: "/business/settings", icon: "fa-gear" });
  }
  items.push({ label: "My businesses", href: "/businesses", icon: "fa-briefcase" });
  if (ctx?.user.isPlatformAdmin)
    items.push({ label: "Platform admin", href: "/admin", icon: "fa-user-shield" });
  return items.map((item) => ({ ...item, active: isActive(item.href, currentPath) }));
}
