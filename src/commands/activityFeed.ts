import { selectRows, timeOf } from "../db/connection";
import { sqlTime } from "../db/sqlTime";
import type { Deps } from "../deps";
import { shippedFeatures, type FeatureName } from "../plans/features";
import { hasFeature } from "../plans/planGate";
import { can, type Action } from "../policies/permissions";
import type { TenantContext } from "../tenancy/context";
import { tenantSql, type SqlFragment, type TenantSql } from "../tenancy/sql";

/**
 * The business's activity feed (issue 15): what happened to customers, leads, deals and tickets,
 * and finished imports, newest first, read from the tables the features already write (timeline,
 * lead, deal and ticket events; imports; business_events for campaigns that finished sending and
 * social posts published or failed, written by commands/activityEvents.ts). Each source is read through tenantSql on its parent
 * record, so a sales member sees what happened to their own customers, leads and deals only; a
 * source the member's role or plan does not include is not read at all.
 */
export const feedSources = [
  "customer",
  "lead",
  "deal",
  "ticket",
  "import",
  "campaign",
  "social",
] as const;
export type FeedSource = (typeof feedSources)[number];

/** Newest first by time, then source, then id: the order pages are cut in (keyset). */
const sourceRank: Record<FeedSource, number> = {
  customer: 0,
  lead: 1,
  deal: 2,
  ticket: 3,
  import: 4,
  campaign: 5,
  social: 6,
};

const sourceAccess: Record<FeedSource, { feature: FeatureName; action: Action }> = {
  customer: { feature: "customers", action: "customers.view" },
  lead: { feature: "leads", action: "leads.view" },
  deal: { feature: "deals", action: "deals.view" },
  ticket: { feature: "tickets", action: "tickets.view" },
  import: { feature: "imports", action: "customers.manage" },
  campaign: { feature: "campaigns", action: "campaigns.manage" },
  social: { feature: "social", action: "campaigns.manage" },
};

/**
 * Customer timeline kinds the feed shows. "imported" is left out (an import writes one per row;
 * the import itself is one entry), and so are tag and task edits, which drown the rest.
 */
export const customerFeedKinds = [
  "created",
  "updated",
  "merged",
  "note_added",
  "task_created",
  "task_completed",
  "message_sent",
  "form_submitted",
  "converted_from_lead",
] as const;

export interface FeedItem {
  source: FeedSource;
  id: number;
  kind: string;
  at: Date;
  actorId: number | null;
  actorName: string | null;
  subjectId: number;
  subjectName: string;
  details: Record<string, unknown>;
}

export interface FeedFilter {
  source?: FeedSource;
  actorId?: number;
  /** Instants (the business's local days, converted by the caller). */
  from?: Date;
  to?: Date;
}

export interface FeedCursor {
  at: Date;
  source: FeedSource;
  id: number;
}

/** The sources this member may read, under their role and their business's plan. */
export function visibleSources(ctx: TenantContext): FeedSource[] {
  return feedSources.filter((source) => {
    const { feature, action } = sourceAccess[source];
    return (
      shippedFeatures.has(feature) &&
      hasFeature(ctx.plan, feature) &&
      can(ctx.membership.role, action)
    );
  });
}

export function encodeFeedCursor(item: Pick<FeedItem, "at" | "source" | "id">): string {
  return Buffer.from(JSON.stringify([item.at.toISOString(), item.source, item.id])).toString(
    "base64url",
  );
}

/** A cursor from a link; a mangled one reads as the first page. */
export function decodeFeedCursor(text: string | undefined): FeedCursor | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [at, source, id] = value as unknown[];
    const time = typeof at === "string" ? new Date(at) : null;
    if (!time || Number.isNaN(time.getTime())) return null;
    if (!feedSources.includes(source as FeedSource) || !Number.isSafeInteger(id)) return null;
    return { at: time, source: source as FeedSource, id: id as number };
  } catch {
    return null;
  }
}

interface RawItem {
  id: number | string;
  kind: string;
  at: unknown;
  actor_id: number | string | null;
  actor_name: string | null;
  subject_id: number | string;
  subject_name: string | null;
  details: string | null;
}

function parseDetails(details: string | null): Record<string, unknown> {
  if (!details) return {};
  try {
    const value: unknown = JSON.parse(details);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Rows of one source after the cursor, in feed order: the cursor's time is inclusive only for
 * sources after the cursor's own in the order, and for its own source below its id.
 */
function afterCursor(
  deps: Deps,
  sql: TenantSql,
  source: FeedSource,
  time: string,
  id: string,
  cursor: FeedCursor | null,
): SqlFragment {
  if (!cursor) return sql.fragment`1 = 1`;
  const at = sqlTime(deps.sequelize, cursor.at);
  const rank = sourceRank[source];
  const own = sourceRank[cursor.source];
  const t = sql.raw(time);
  if (rank > own) return sql.fragment`${t} < ${at}`;
  if (rank < own) return sql.fragment`${t} <= ${at}`;
  return sql.fragment`(${t} < ${at} OR (${t} = ${at} AND ${sql.raw(id)} < ${cursor.id}))`;
}

function filterOn(
  deps: Deps,
  sql: TenantSql,
  time: string,
  actor: string,
  filter: FeedFilter,
): SqlFragment {
  const t = sql.raw(time);
  const from = filter.from ? sqlTime(deps.sequelize, filter.from) : null;
  const to = filter.to ? sqlTime(deps.sequelize, filter.to) : null;
  const since = from ? sql.fragment`${t} >= ${from}` : sql.fragment`1 = 1`;
  const until = to ? sql.fragment`${t} < ${to}` : sql.fragment`1 = 1`;
  const who =
    filter.actorId !== undefined
      ? sql.fragment`${sql.raw(actor)} = ${filter.actorId}`
      : sql.fragment`1 = 1`;
  return sql.fragment`${since} AND ${until} AND ${who}`;
}

/** A lead's full name in SQL: MariaDB's || is OR unless told otherwise. */
function leadName(deps: Deps): string {
  return deps.sequelize.getDialect() === "mysql"
    ? "TRIM(CONCAT(l.first_name, ' ', COALESCE(l.last_name, '')))"
    : "TRIM(l.first_name || ' ' || COALESCE(l.last_name, ''))";
}

/** One source's newest `limit` rows after the cursor, as one statement. */
function sourceStatement(
  deps: Deps,
  sql: TenantSql,
  source: FeedSource,
  filter: FeedFilter,
  cursor: FeedCursor | null,
  limit: number,
): string {
  const where = (time: string, id: string, actor: string) =>
    sql.fragment`${afterCursor(deps, sql, source, time, id, cursor)}
      AND ${filterOn(deps, sql, time, actor, filter)}`;
  switch (source) {
    case "customer": {
      // One range per kind on (business_id, kind, created_at, id), merged here: see the migration.
      const arms = customerFeedKinds.map(
        (kind, i) => sql.text`SELECT * FROM (SELECT e.id, e.kind, e.created_at AS at,
            e.actor_id, u.name AS actor_name, c.id AS subject_id, c.name AS subject_name, e.details
          FROM timeline_events e
          JOIN customers c ON c.id = e.customer_id AND ${sql.scoped("c")}
          LEFT JOIN users u ON u.id = e.actor_id
          WHERE ${sql.scoped("e")} AND e.kind = ${kind}
            AND ${where("e.created_at", "e.id", "e.actor_id")}
          ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}) ${sql.raw(`k${i}`)}`,
      );
      return arms.join(" UNION ALL ");
    }
    case "lead":
      return sql.text`SELECT e.id, e.kind, e.created_at AS at, e.actor_id, u.name AS actor_name,
          l.id AS subject_id,
          ${sql.raw(leadName(deps))} AS subject_name,
          e.details
        FROM lead_events e
        JOIN leads l ON l.id = e.lead_id AND ${sql.scoped("l")}
        LEFT JOIN users u ON u.id = e.actor_id
        WHERE ${sql.scoped("e")} AND ${where("e.created_at", "e.id", "e.actor_id")}
        ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`;
    case "deal":
      return sql.text`SELECT e.id, e.kind, e.created_at AS at, e.actor_id, u.name AS actor_name,
          d.id AS subject_id, d.title AS subject_name, e.details
        FROM deal_events e
        JOIN deals d ON d.id = e.deal_id AND ${sql.scoped("d")}
        LEFT JOIN users u ON u.id = e.actor_id
        WHERE ${sql.scoped("e")} AND ${where("e.created_at", "e.id", "e.actor_id")}
        ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`;
    case "ticket":
      return sql.text`SELECT e.id, e.kind, e.created_at AS at, e.actor_id, u.name AS actor_name,
          t.id AS subject_id, t.subject AS subject_name, e.details
        FROM ticket_events e
        JOIN tickets t ON t.id = e.ticket_id AND ${sql.scoped("t")}
        LEFT JOIN users u ON u.id = e.actor_id
        WHERE ${sql.scoped("e")} AND ${where("e.created_at", "e.id", "e.actor_id")}
        ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`;
    case "import":
      // A finished import is one entry, at the time it finished (a business has few imports).
      return sql.text`SELECT i.id, i.status AS kind, i.finished_at AS at, i.user_id AS actor_id,
          u.name AS actor_name, i.id AS subject_id, i.file_name AS subject_name,
          NULL AS details
        FROM imports i
        LEFT JOIN users u ON u.id = i.user_id
        WHERE ${sql.scoped("i")} AND i.finished_at IS NOT NULL
          AND ${where("i.finished_at", "i.id", "i.user_id")}
        ORDER BY i.finished_at DESC, i.id DESC LIMIT ${limit}`;
    case "campaign":
    case "social":
      // Campaigns and posts are the marketers' (no owner scope): the role already decided.
      return sql.text`SELECT e.id, e.kind, e.created_at AS at, e.actor_id, u.name AS actor_name,
          e.subject_id, e.subject_name, e.details
        FROM business_events e
        LEFT JOIN users u ON u.id = e.actor_id
        WHERE ${sql.scoped("e")} AND e.source = ${source}
          AND ${where("e.created_at", "e.id", "e.actor_id")}
        ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit}`;
  }
}

/** Import rows carry their counts for the sentence ("9,812 added"); read with the page. */
async function importCounts(
  deps: Deps,
  ctx: TenantContext,
  ids: number[],
): Promise<Map<number, Record<string, unknown>>> {
  if (!ids.length) return new Map();
  const sql = tenantSql(deps, ctx);
  const rows = await selectRows<{
    id: number | string;
    created_count: number | string;
    updated_count: number | string;
    failed_count: number | string;
  }>(
    deps.sequelize,
    sql.text`SELECT i.id, i.created_count, i.updated_count, i.failed_count FROM imports i
      WHERE ${sql.scoped("i")} AND i.id IN ${ids}`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        created: Number(r.created_count),
        updated: Number(r.updated_count),
        failed: Number(r.failed_count),
      },
    ]),
  );
}

export interface FeedPage {
  items: FeedItem[];
  /** The cursor of the next (older) page, or null at the end. */
  next: string | null;
}

/**
 * One page of the feed: each visible source's newest `limit + 1` rows after the cursor (one
 * statement each), merged in feed order and cut at `limit`.
 */
export async function readFeed(
  deps: Deps,
  ctx: TenantContext,
  filter: FeedFilter,
  page: { limit: number; after?: string },
): Promise<FeedPage> {
  const cursor = decodeFeedCursor(page.after);
  const sources = visibleSources(ctx).filter((s) => !filter.source || s === filter.source);
  const sql = tenantSql(deps, ctx);
  const lists = await Promise.all(
    sources.map(async (source) => {
      const rows = await selectRows<RawItem>(
        deps.sequelize,
        sourceStatement(deps, sql, source, filter, cursor, page.limit + 1),
      );
      return rows.map((row): FeedItem => ({
        source,
        id: Number(row.id),
        kind: row.kind,
        at: timeOf(row.at) ?? new Date(0),
        actorId: row.actor_id === null ? null : Number(row.actor_id),
        actorName: row.actor_name,
        subjectId: Number(row.subject_id),
        subjectName: (row.subject_name ?? "").trim(),
        details: parseDetails(row.details),
      }));
    }),
  );
  const merged = lists
    .flat()
    .sort(
      (a, b) =>
        b.at.getTime() - a.at.getTime() ||
        sourceRank[b.source] - sourceRank[a.source] ||
        b.id - a.id,
    );
  const items = merged.slice(0, page.limit);
  const imports = items.filter((i) => i.source === "import").map((i) => i.id);
  const counts = await importCounts(deps, ctx, imports);
  for (const item of items) if (item.source === "import") item.details = counts.get(item.id) ?? {};
  const last = items[items.length - 1];
  return { items, next: merged.length > page.limit && last ? encodeFeedCursor(last) : null };
}
