import type { Import } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { ImportDeps } from "./deps";
import {
  keptCustomers,
  keptReasonCountLabels,
  keptReasonLabels,
  keptReasons,
  reasonCounts,
  wholeImport,
  type KeptCustomers,
  type KeptReason,
} from "./kept";

/**
 * What an undo will do (its confirmation page) and what it kept (its result): counts read from
 * the database as it is now, with the same rule the undo applies batch by batch (kept.ts).
 */
export interface KeptListing {
  /** The first kept customers the member may see, with why each was kept. */
  customers: Array<{ id: number; name: string; reasons: string[] }>;
  /** Kept customers beyond the listed ones that the member may see. */
  more: number;
  /** Kept customers of other members (sales see only their own). */
  others: number;
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

/**
 * The first `limit` of `kept` that the member may see (id order), their names and reasons; the
 * ids are asked in chunks, so an import with thousands kept never sends one huge list.
 */
async function listKept(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
  kept: KeptCustomers,
  limit = listed,
): Promise<KeptListing> {
  const ids = [...kept.keys()].sort((a, b) => a - b);
  const customers: KeptListing["customers"] = [];
  let visible = 0;
  // The member's own scope: sales see only the kept customers they own.
  const sql = tenantSql(deps, ctx);
  for (let at = 0; at < ids.length; at += 1000) {
    const rows = await sql.select<{ id: number; name: string }>`
      SELECT id, name FROM customers
      WHERE ${sql.scoped("customers")} AND import_id = ${record.id}
        AND id IN ${ids.slice(at, at + 1000)}
      ORDER BY id`;
    visible += rows.length;
    for (const row of rows) {
      if (customers.length >= limit) break;
      const id = Number(row.id);
      const mine = kept.get(id);
      const reasons = keptReasons
        .filter((reason) => mine?.has(reason))
        .map((reason) => keptReasonLabels[reason]);
      customers.push({ id, name: row.name, reasons });
    }
  }
  return { customers, more: visible - customers.length, others: ids.length - visible };
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
  const kept = await keptCustomers(deps, record, wholeImport);
  const [changed] = await sql.select<{ n: number | string; tags: number | string | null }>`
    SELECT COUNT(*) AS n, SUM(CASE WHEN ic.added_tag_ids <> '[]' THEN 1 ELSE 0 END) AS tags
    FROM import_changes ic JOIN customers c ON c.id = ic.customer_id AND ${sql.scoped("c")}
    WHERE ${sql.scoped("ic")} AND ic.import_id = ${record.id}`;
  const tags = await sql.select<{ name: string }>`
    SELECT name FROM tags WHERE ${sql.scoped("tags")} AND import_id = ${record.id}
    ORDER BY name`;
  return {
    toDelete: Number(created?.n ?? 0) - kept.size,
    kept: kept.size,
    keptReasons: reasonCounts(kept).map(({ reason, count }) => ({
      reason,
      label: keptReasonCountLabels[reason],
      count,
    })),
    keptCustomers: await listKept(deps, ctx, record, kept),
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
  const rows = await sql.select<{ id: number }>`
    SELECT id FROM customers WHERE ${sql.scoped("customers")} AND import_id = ${record.id}`;
  const reasons = await keptCustomers(deps, record, wholeImport);
  const kept: KeptCustomers = new Map(
    rows.map((row) => [Number(row.id), reasons.get(Number(row.id)) ?? new Set<KeptReason>()]),
  );
  return listKept(deps, ctx, record, kept, limit);
}
