/**
 * Calendar arithmetic in a business's time zone, with Intl only. Dates without a time are
 * "YYYY-MM-DD" strings; instants are Date (UTC).
 */

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time at `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function isoDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Today's date in `timeZone`, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return isoDate(p.year, p.month, p.day);
}

/**
 * The UTC instant of a wall-clock time in `timeZone` (e.g. 09:00 in Asia/Kolkata). Times skipped by
 * a daylight-saving jump resolve to the instant just after the gap.
 */
export function zonedTime(
  date: string,
  time: { hour: number; minute: number },
  timeZone: string,
): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const wanted = Date.UTC(year, month - 1, day, time.hour, time.minute);
  let guess = wanted;
  // Two corrections settle every real zone (the offset can change once around the guess).
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - seen;
  }
  return new Date(guess);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** month * 100 + day of a YYYY-MM-DD date (the year ignored): 2290 is never made, 229 is. */
export function monthDay(date: string): number {
  const [, month, day] = date.split("-").map(Number) as [number, number, number];
  return month * 100 + day;
}

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return isoDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/**
 * The month-days celebrated on `date`. In a year without 29 February, people born on it celebrate
 * on 28 February, so that date also matches 229.
 */
export function celebratedMonthDays(date: string): number[] {
  const md = monthDay(date);
  const year = Number(date.slice(0, 4));
  return md === 228 && !isLeapYear(year) ? [228, 229] : [md];
}

/** Month-days celebrated from `today` through the next `days` days (today included). */
export function upcomingMonthDays(today: string, days: number): number[] {
  const result = new Set<number>();
  for (let i = 0; i <= days; i++) {
    for (const md of celebratedMonthDays(addDays(today, i))) result.add(md);
  }
  return [...result];
}

/** A real calendar date as YYYY-MM-DD, or null ("2023-02-29" and "2024-13-01" are not). */
export function parseIsoDate(input: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1) return null;
  if (check.getUTCDate() !== day || year < 1900) return null;
  return isoDate(year, month, day);
}

/** "2026-11-22T10:30" typed in a datetime-local field, read as wall-clock time in `timeZone`. */
export function parseLocalDateTime(input: string, timeZone: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/.exec(input.trim());
  if (!match || !parseIsoDate(match[1]!)) return null;
  const [hour, minute] = [Number(match[2]), Number(match[3])];
  if (hour > 23 || minute > 59) return null;
  return zonedTime(match[1]!, { hour, minute }, timeZone);
}

/** The value a datetime-local field shows for `instant` in `timeZone`. */
export function toLocalInput(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${isoDate(p.year, p.month, p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "22 Nov 2026, 10:30" in the business's zone, for pages and e-mails. */
export function formatDateTime(instant: Date, timeZone: string): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    // Building a formatter costs ~150 µs; a list page formats dozens of dates.
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    dateTimeFormats.set(timeZone, format);
  }
  return format.format(instant);
}

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
});

/** "22 Nov 2026" for a YYYY-MM-DD date. */
export function formatDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return dateFormat.format(new Date(Date.UTC(year, month - 1, day)));
}
