import { localParts, zonedTime } from "../../lib/dates";

/** The periods the analytics page offers; leads are counted by when they arrived. */
export const analyticsPeriods = ["30d", "90d", "12m", "all"] as const;
export type AnalyticsPeriod = (typeof analyticsPeriods)[number];

export const periodLabels: Record<AnalyticsPeriod, string> = {
  "30d": "Last 30 days",
  "90d": "Last 90 days",
  "12m": "Last 12 months",
  all: "All time",
};

/** YYYY-MM of an instant in the business's calendar. */
export function monthOf(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${String(p.year).padStart(4, "0")}-${String(p.month).padStart(2, "0")}`;
}

/** The month `delta` months after YYYY-MM. */
export function shiftMonth(month: string, delta: number): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  const index = year * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Midnight of the 1st of YYYY-MM in the business's time zone, as a UTC instant. */
export function monthStart(month: string, timeZone: string): Date {
  return zonedTime(`${month}-01`, { hour: 0, minute: 0 }, timeZone);
}

/** [from, to) of a period ending now; from is null for all time. */
export function periodRange(
  period: AnalyticsPeriod,
  now: Date,
  timeZone: string,
): { from: Date | null; to: Date } {
  const to = new Date(now.getTime() + 1);
  if (period === "all") return { from: null, to };
  if (period === "12m")
    return { from: monthStart(shiftMonth(monthOf(now, timeZone), -11), timeZone), to };
  const days = period === "30d" ? 30 : 90;
  return { from: new Date(now.getTime() - days * 86_400_000), to };
}

/** The twelve months ending with `month`, oldest first, each with its [start, end) instants. */
export function monthsEndingWith(
  month: string,
  timeZone: string,
  count = 12,
): Array<{ month: string; start: Date; end: Date }> {
  const months = [];
  for (let i = count - 1; i >= 0; i--) {
    const m = shiftMonth(month, -i);
    months.push({
      month: m,
      start: monthStart(m, timeZone),
      end: monthStart(shiftMonth(m, 1), timeZone),
    });
  }
  return months;
}

const monthNames = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** "2026-04" → "Apr 2026". */
export function monthLabel(month: string): string {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return `${monthNames[m - 1]} ${year}`;
}
