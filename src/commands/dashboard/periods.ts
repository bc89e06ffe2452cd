import { addDays, localDate, zonedTime } from "../../lib/dates";
import { dueRange } from "../tasks/list";

/**
 * The periods the dashboard counts in, in the business's time zone: today, this week (Monday to
 * Monday, as the tasks list's "this week"), this month, and the last twelve weeks for the charts.
 */
export interface Periods {
  today: string;
  dayStart: Date;
  dayEnd: Date;
  /** Local Monday (YYYY-MM-DD) and its midnight. */
  weekStartDate: string;
  weekStart: Date;
  monthStart: Date;
  /** Twelve week starts, oldest first; the last is this week's. */
  weeks: Array<{ date: string; start: Date }>;
}

const midnight = { hour: 0, minute: 0 };

export function periodsAt(now: Date, timeZone: string): Periods {
  const today = localDate(now, timeZone);
  const day = dueRange("today", now, timeZone);
  const week = dueRange("week", now, timeZone);
  const weekStartDate = localDate(week.from, timeZone);
  const weeks = Array.from({ length: 12 }, (_, i) => {
    const date = addDays(weekStartDate, (i - 11) * 7);
    return { date, start: zonedTime(date, midnight, timeZone) };
  });
  return {
    today,
    dayStart: day.from,
    dayEnd: day.to,
    weekStartDate,
    weekStart: week.from,
    monthStart: zonedTime(`${today.slice(0, 8)}01`, midnight, timeZone),
    weeks,
  };
}
