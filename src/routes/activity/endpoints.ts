import { z } from "zod";
import {
  feedSources,
  readFeed,
  visibleSources,
  type FeedFilter,
  type FeedSource,
} from "../../commands/activityFeed";
import { membersWhoMay } from "../../commands/members";
import { routes, type Endpoint, type FormFailure, type PageCall } from "../../http/endpoint";
import { idField } from "../../http/params";
import { addDays, parseIsoDate, zonedTime } from "../../lib/dates";
import type { TenantContext } from "../../tenancy/context";
import { feedSourceLabel, presentFeedItem } from "./present";

const page = routes({ auth: "page" });
const pageSize = 30;

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const dateField = (label: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .refine((v) => parseIsoDate(v) !== null, { error: `Enter the ${label} date as YYYY-MM-DD.` })
      .optional(),
  );

/** GET /activity's filters: what (source), who (member), when (local dates); `after` pages. */
export const activityQuery = z
  .object({
    kind: z.preprocess(
      blank,
      z
        .enum(feedSources, { error: "Choose customers, leads, deals, tickets or imports." })
        .optional(),
    ),
    memberId: z.preprocess(blank, idField("Choose a team member.").optional()),
    from: dateField("from"),
    to: dateField("to"),
    after: z.preprocess(blank, z.string().max(200).optional()).catch(undefined),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    error: "The from date must be on or before the to date.",
    path: ["to"],
  });

type ActivityQuery = z.output<typeof activityQuery>;

function feedFilter(ctx: TenantContext, q: ActivityQuery): FeedFilter {
  const zone = ctx.business.timeZone;
  const midnight = { hour: 0, minute: 0 };
  return {
    ...(q.kind && { source: q.kind }),
    ...(q.memberId && { actorId: q.memberId }),
    ...(q.from && { from: zonedTime(q.from, midnight, zone) }),
    ...(q.to && { to: zonedTime(addDays(q.to, 1), midnight, zone) }),
  };
}

function linkWith(q: ActivityQuery, after?: string): string {
  const params = new URLSearchParams();
  if (q.kind) params.set("kind", q.kind);
  if (q.memberId) params.set("memberId", String(q.memberId));
  if (q.from) params.set("from", q.from);
  if (q.to) params.set("to", q.to);
  if (after) params.set("after", after);
  const text = params.toString();
  return text ? `/activity?${text}` : "/activity";
}

async function render(
  { res, deps, ctx }: Pick<PageCall, "res" | "deps" | "ctx">,
  q: ActivityQuery,
  errors: string[] = [],
) {
  const sources = visibleSources(ctx);
  // A kind the member may not read shows nothing rather than an error: links get shared.
  const filter = feedFilter(ctx, q);
  const allowed = !q.kind || sources.includes(q.kind);
  const [feed, members] = await Promise.all([
    allowed ? readFeed(deps, ctx, filter, { limit: pageSize, after: q.after }) : null,
    membersWhoMay(deps, ctx),
  ]);
  const items = feed?.items ?? [];
  const filtered = Boolean(q.kind || q.memberId || q.from || q.to);
  res.status(errors.length ? 422 : 200).render("activity/index", {
    title: "Activity",
    errors,
    items: items.map((item) => presentFeedItem(item, ctx.business.timeZone)),
    next: feed?.next ? linkWith(q, feed.next) : null,
    first: q.after ? linkWith(q) : null,
    filtered,
    values: q,
    kinds: sources.map((source: FeedSource) => ({
      value: source,
      label: feedSourceLabel(source),
      selected: q.kind === source,
    })),
    members: members.map((m) => ({ ...m, selected: q.memberId === m.id })),
  });
}

/** The business's activity feed, newest first, filtered by kind, member and dates. */
export const activityEndpoints: Endpoint[] = [
  page.get("/activity", "member", {
    query: activityQuery,
    form: {
      render: (call, failure: FormFailure) => render(call, {}, Object.values(failure.errors)),
    },
    handler: (call) => render(call, call.query),
  }),
];
