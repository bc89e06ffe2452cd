import type { Celebration, Occasion, OccasionKind } from "./celebrations";

/** "Birthday (35 years)", "Anniversary", "Birthday (35 years) and anniversary (10 years)". */
export function occasionText(occasions: Occasion[]): string {
  const text = occasions
    .map((o) => (o.years === null ? o.kind : `${o.kind} (${o.years} years)`))
    .join(" and ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function plural(count: number, kind: OccasionKind): string {
  if (count === 1) return `1 ${kind}`;
  return `${count} ${kind === "birthday" ? "birthdays" : "anniversaries"}`;
}

/** "2 birthdays and 1 anniversary today". */
export function notificationTitle(celebrations: Celebration[]): string {
  const count = (kind: OccasionKind) =>
    celebrations.filter((c) => c.occasions.some((o) => o.kind === kind)).length;
  const parts = (["birthday", "anniversary"] as const)
    .filter((kind) => count(kind) > 0)
    .map((kind) => plural(count(kind), kind));
  return `${parts.join(" and ")} today`;
}

/** The first few names with their occasions; the rest as a count. */
export function notificationBody(celebrations: Celebration[], shown = 3): string {
  const names = celebrations
    .slice(0, shown)
    .map((c) => `${c.name}: ${occasionText(c.occasions).toLowerCase()}`);
  const rest = celebrations.length - shown;
  return rest > 0 ? `${names.join("; ")}; and ${rest} more` : names.join("; ");
}

/** "Send birthday wishes to Asha Rao" (both occasions on one day make one task). */
export function wishTaskTitle(celebration: Celebration): string {
  const kinds = celebration.occasions.map((o) => o.kind).join(" and ");
  return `Send ${kinds} wishes to ${celebration.name}`.slice(0, 200);
}
