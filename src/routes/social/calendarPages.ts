import {
  occasionImageUrl,
  occasionsBetween,
  upcomingOccasions,
} from "../../commands/social/occasions";
import { postsBetween } from "../../commands/social/queries";
import type { PageCall } from "../../http/endpoint";
import {
  addDays,
  formatDate,
  localDate,
  localParts,
  toLocalInput,
  zonedTime,
} from "../../lib/dates";
import { csrfToken } from "../../middleware/csrf";
import { presentPost } from "./present";
import type { calendarQuery } from "./schema";

const weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const monthNames = new Intl.DateTimeFormat("en-GB", {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** Monday on or before a date (weeks start on Monday). */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

/** The days a view shows: whole weeks around the month, or the one week. */
function rangeOf(
  view: "month" | "week",
  date: string,
): { days: string[]; prev: string; next: string; label: string } {
  if (view === "week") {
    const start = mondayOf(date);
    const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
    return {
      days,
      prev: addDays(start, -7),
      next: addDays(start, 7),
      label: `Week of ${formatDate(start)}`,
    };
  }
  const first = `${date.slice(0, 7)}-01`;
  const nextMonth = addDays(first, 32).slice(0, 7) + "-01";
  const start = mondayOf(first);
  const days: string[] = [];
  for (let d = start; d < nextMonth || days.length % 7 !== 0; d = addDays(d, 1)) days.push(d);
  return {
    days,
    prev: addDays(first, -1).slice(0, 7) + "-01",
    next: nextMonth,
    label: monthNames.format(new Date(`${first}T00:00:00Z`)),
  };
}

/**
 * GET /social/calendar: a month (or week) of scheduled and published posts in the business's time
 * zone, occasions on their days, and the upcoming occasions to plan for. Scheduled posts can be
 * dragged to another day (public/js/social-calendar.js); without script, each post's page moves it.
 */
export async function showCalendar({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof calendarQuery }>) {
  const tz = ctx.business.timeZone;
  const today = localDate(deps.clock.now(), tz);
  const date = query.date ?? today;
  const range = rangeOf(query.view, date);
  const first = range.days[0]!;
  const last = range.days[range.days.length - 1]!;
  const from = zonedTime(first, { hour: 0, minute: 0 }, tz);
  const to = zonedTime(addDays(last, 1), { hour: 0, minute: 0 }, tz);
  const posts = await postsBetween(deps, ctx, from, to);
  const occasions = occasionsBetween(first, last);
  const month = date.slice(0, 7);
  const days = range.days.map((day) => ({
    date: day,
    number: Number(day.slice(8)),
    label: formatDate(day),
    today: day === today,
    past: day < today,
    outside: query.view === "month" && day.slice(0, 7) !== month,
    occasions: occasions
      .filter((o) => o.date === day)
      .map((o) => ({ code: o.occasion.code, name: o.occasion.name })),
    posts: posts
      .filter((p) => p.scheduledAt && localDate(p.scheduledAt, tz) === day)
      .map((p) => {
        const parts = localParts(p.scheduledAt!, tz);
        return {
          ...presentPost(p, tz),
          time: `${String(parts.hour).padStart(2, "0")}:${String(parts.minute).padStart(2, "0")}`,
          draggable: p.status === "scheduled",
          localTime: toLocalInput(p.scheduledAt!, tz).slice(11),
        };
      }),
  }));
  const weeks: Array<{ days: typeof days }> = [];
  for (let i = 0; i < days.length; i += 7) weeks.push({ days: days.slice(i, i + 7) });
  res.render("social/calendar", {
    title: "Social calendar",
    csrfToken: csrfToken(req),
    view: query.view,
    monthView: query.view === "month",
    label: range.label,
    weekdays,
    weeks,
    prevUrl: `/social/calendar?view=${query.view}&date=${range.prev}`,
    nextUrl: `/social/calendar?view=${query.view}&date=${range.next}`,
    todayUrl: `/social/calendar?view=${query.view}`,
    otherViewUrl: `/social/calendar?view=${query.view === "month" ? "week" : "month"}&date=${date}`,
    otherViewLabel: query.view === "month" ? "Week" : "Month",
    timeZone: tz,
    upcoming: upcomingOccasions(today).map((o) => ({
      code: o.occasion.code,
      name: o.occasion.name,
      date: formatDate(o.date),
      useUrl: `/social/posts/new?template=${o.occasion.code}&date=${o.date}`,
      image: occasionImageUrl(o.occasion.code),
    })),
    empty: posts.length === 0,
  });
}
