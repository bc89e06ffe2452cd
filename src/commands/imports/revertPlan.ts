import type { Import } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { ImportDeps } from "./deps";
import {
  countsOfKept,
  keptCounts,
  keptCustomers,
  keptReasonCountLabels,
  keptReasonLabels,
  keptReasons,
  wholeImport,
  type KeptCustomers,
  type KeptReason,
} from "./kept";

/**
 * What an undo will do (its confirmation page) and what it kept (its result): counts read from
 * the database as it is now, with the same rule the undo applies batch by batch (kept.ts). The
 * reads stay bounded however many customers are kept: counts come back as a few rows, and only
 * the first kept customers are listed.
 */
export interface KeptListing {
  /** The first kept customers the member may see, with why each was kept. */
  customers: Array<{ id: number; name: string; reasons: string[] }>;
  /** Kept customers not listed (sales: some may be other members'). */
  more: number;
}

export interface RevertPlan {
  /** Customers the import created that the undo deletes. */
  toDelete: number;
  /** Customers it created that the undo keeps, and why (a customer may have several reasons). */
  kept: number;
  keptReasons: Array<{ reason: KeptReason; label: string; count: number }>;
  keptCustomers: KeptListing;
  /** Existing customers it changed: fields get their old values back, unless changed since. */
  toRestore: number;
  /** Of those, customers that lose the tags it added. */
  toUntag: number;
  /** Tags it created: deleted at the end when no customer carries them any more. */
  createdTags: string[];
  createdTagCount: number;
}

const listed = 20;
const shownTags = 20;
/** Kept customers looked at for the list: enough for `listed` visible to most members. */
const candidates = 200;
/** Kept customers read one by one before the counts are left to the database instead. */
const sample = 5000;

/** The first `limit` of `kept` (id order) the member may see, with names and reasons. */
async function listKept(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
  kept: KeptCustomers,
  total: number,
  limit: number,
): Promise<KeptListing> {
  const ids = [...kept.keys()].sort((a, b) => a - b).slice(0, candidates);
  if (ids.length === 0) return { customers: [], more: total };
  // The member's own scope: sales see only the kept customers they own.
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ id: number; name: string }>`
    SELECT id, name FROM customers
    WHERE ${sql.scoped("customers")} AND import_id = ${record.id} AND id IN ${ids}
    ORDER BY id LIMIT ${limit}`;
  const customers = rows.map((row) => {
    const id = Number(row.id);
    const mine = kept.get(id);
    const reasons = keptReasons
      .filter((reason) => mine?.has(reason))
      .map((reason) => keptReasonLabels[reason]);
    return { id, name: row.name, reasons };
  });
  return { customers, more: Math.max(0, total - customers.length) };
}

/** The confirmation page's counts: what undoing `record` would do now. */
export async function planRevert(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
): Promise<RevertPlan> {
  authorize(ctx, "customers.manage");
  const sql = tenantSql(deps, businessScope(record.businessId));
  const [created] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM customers
    WHERE ${sql.scoped("customers")} AND import_id = ${record.id}`;
  // One pass over the import's customers when fewer than `sample` are kept (the usual case);
  // past that, the counts are folded in the database rather than read customer by customer.
  const first = await keptCustomers(deps, record, wholeImport, undefined, sample);
  const counts = first.size < sample ? countsOfKept(first) : await keptCounts(deps, record);
  const [changed] = await sql.select<{ n: number | string; tags: number | string | null }>`
    SELECT COUNT(*) AS n, SUM(CASE WHEN ic.added_tag_ids <> '[]' THEN 1 ELSE 0 END) AS tags
    FROM import_changes ic JOIN customers c ON c.id = ic.customer_id AND ${sql.scoped("c")}
    WHERE ${sql.scoped("ic")} AND ic.import_id = ${record.id}`;
  const tags = await sql.select<{ name: string }>`
    SELECT name FROM tags WHERE ${sql.scoped("tags")} AND import_id = ${record.id}
    ORDER BY name`;
  return {
    toDelete: Number(created?.n ?? 0) - counts.total,
    kept: counts.total,
    keptReasons: counts.reasons.map(({ reason, count }) => ({
      reason,
      label: keptReasonCountLabels[reason],
      count,
    })),
    keptCustomers: await listKept(deps, ctx, record, first, counts.total, listed),
    toRestore: Number(changed?.n ?? 0),
    toUntag: Number(changed?.tags ?? 0),
    createdTags: tags.slice(0, shownTags).map((tag) => tag.name),
    createdTagCount: tags.length,
  };
}

/**
 * After an undo: the customers it kept (every customer of the import still there), the first
 * ones listed with their reasons.
 */
export async function keptAfterRevert(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
  limit = 50,
): Promise<KeptListing> {
  authorize(ctx, "customers.manage");
  const sql = tenantSql(deps, businessScope(record.businessId));
  const [present] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM customers
    WHERE ${sql.scoped("customers")} AND import_id = ${record.id}`;
  const rows = await sql.select<{ id: number }>`
    SELECT id FROM customers WHERE ${sql.scoped("customers")} AND import_id = ${record.id}
    ORDER BY id LIMIT ${candidates}`;
  const ids = rows.map((row) => Number(row.id));
  const range = { after: (ids[0] ?? 1) - 1, upTo: ids[ids.length - 1] ?? 0 };
  const reasons = ids.length > 0 ? await keptCustomers(deps, record, range) : new Map();
  const kept: KeptCustomers = new Map(
    ids.map((id) => [id, reasons.get(id) ?? new Set<KeptReason>()]),
  );
  return listKept(deps, ctx, record, kept, Number(present?.n ?? 0), limit);
}
