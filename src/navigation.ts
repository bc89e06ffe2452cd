/**
 * The sidebar, as data. Later features add their entries here with the plan feature that
 * unlocks them, so the menu and the plan gate read from one registry.
 */
export interface NavigationItem {
  label: string;
  href: string;
  icon: string;
}

const items: NavigationItem[] = [{ label: "Dashboard", href: "/", icon: "fa-gauge-high" }];

export function navigationFor(currentPath: string): Array<NavigationItem & { active: boolean }> {
  return items.map((item) => ({
    ...item,
    active: item.href === "/" ? currentPath === "/" : currentPath.startsWith(item.href),
  }));
}
