import type { Transaction } from "sequelize";
import type { Import } from "../../models";
import { businessScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { ImportDeps } from "./deps";

/**
 * Work done since an import on the customers it created, which its undo must not lose. A customer
 * is kept when, besides the import's own "imported" event, it has:
 * - a timeline event written since: edited (`updated`, an owner assigned in bulk too), tagged or
 *   untagged by hand, a note, a task (created by a person, updated or completed), merged with
 *   another customer, a message sent (`message_sent`, whoever sent it), or any other kind — a kind
 *   added later keeps customers until someone decides otherwise;
 * - a note or a task created by a person, even without its event (the demo seeder writes both
 *   bare);
 * - a change by a later import (import_changes of another import).
 * Not work on the customer: the tagged/untagged events a tag's rename, merge or deletion writes on
 * every carrier (`via` in their details), and tasks the reminders create on their own (no
 * creator) — those are deleted with the customer instead of being left without one.
 */
export const keptReasons = [
  "edited",
  "note",
  "task",
  "tagged",
  "merged",
  "messaged",
  "reimported",
  "other",
] as const;
export type KeptReason = (typeof keptReasons)[number];

export const keptReasonLabels: Record<KeptReason, string> = {
  edited: "edited since",
  note: "has notes",
  task: "has tasks",
  tagged: "tagged by hand",
  merged: "merged with another customer",
  messaged: "was sent a message",
  reimported: "changed by a later import",
  other: "other activity on its timeline",
};

/** The same, after a number of customers ("3 with notes"). */
export const keptReasonCountLabels: Record<KeptReason, string> = {
  edited: "edited since",
  note: "with notes",
  task: "with tasks",
  tagged: "tagged by hand",
  merged: "merged with another customer",
  messaged: "sent a message",
  reimported: "changed by a later import",
  other: "with other activity",
};

/** Customers the import created, by id, with why each is kept (only kept ones appear). */
export type KeptCustomers = Map<number, Set<KeptReason>>;

/** Which of the import's customers to look at: ids in (after, upTo]. */
export interface IdRange {
  after: number;
  upTo: number;
}

export const wholeImport: IdRange = { after: 0, upTo: Number.MAX_SAFE_INTEGER };

/** Each reason as a bit, so one query can say all of a customer's reasons (SUM(DISTINCT)). */
const bits: Record<KeptReason, number> = {
  edited: 1,
  note: 2,
  task: 4,
  tagged: 8,
  merged: 16,
  messaged: 32,
  reimported: 64,
  other: 128,
};

export function reasonsOf(mask: number): KeptReason[] {
  return keptReasons.filter((reason) => (mask & bits[reason]) !== 0);
}

/** What to read about the kept customers: each one's reasons, or how many have each mix. */
type Shape = { kind: "customers"; limit: number | null } | { kind: "mixes" };

/**
 * One statement: the union of the four sources of work (timeline events, notes, tasks by a
 * person, later imports' changes) over the import's customers in `range`, each row a customer
 * and a reason bit, folded per customer. Each branch is driven by the (business_id, import_id)
 * index. Rows come back only for kept customers.
 */
async function keptRows(
  deps: Pick<ImportDeps, "sequelize">,
  record: Pick<Import, "id" | "businessId">,
  range: IdRange,
  shape: Shape,
  transaction?: Transaction,
): Promise<Array<{ id?: number | string; mask: number | string; n?: number | string }>> {
  const sql = tenantSql(deps, businessScope(record.businessId), transaction);
  const { after, upTo } = range;
  const id = record.id;
  const open =
    shape.kind === "mixes"
      ? "SELECT m.mask, COUNT(*) AS n FROM (SELECT k.id, SUM(DISTINCT k.bit) AS mask FROM ("
      : "SELECT k.id, SUM(DISTINCT k.bit) AS mask FROM (";
  const close =
    shape.kind === "mixes"
      ? ") k GROUP BY k.id) m GROUP BY m.mask"
      : `) k GROUP BY k.id ORDER BY k.id${shape.limit === null ? "" : ` LIMIT ${Math.floor(shape.limit)}`}`;
  return sql.select`${sql.raw(open)}
    SELECT e.customer_id AS id, CASE e.kind WHEN 'updated' THEN 1 WHEN 'note_added' THEN 2
        WHEN 'task_created' THEN 4 WHEN 'task_updated' THEN 4 WHEN 'task_completed' THEN 4
        WHEN 'tagged' THEN 8 WHEN 'untagged' THEN 8 WHEN 'merged' THEN 16
        WHEN 'message_sent' THEN 32 ELSE 128 END AS bit
      FROM customers c1 JOIN timeline_events e ON e.customer_id = c1.id AND ${sql.scoped("e")}
      WHERE ${sql.scoped("c1")} AND c1.import_id = ${id} AND c1.id > ${after} AND c1.id <= ${upTo}
        AND e.kind <> 'imported'
        AND NOT (e.kind IN ('tagged', 'untagged') AND e.details LIKE '%"via":%')
        AND NOT (e.kind = 'task_created' AND e.actor_id IS NULL)
    UNION ALL
    SELECT n.customer_id AS id, 2 AS bit
      FROM customers c2 JOIN notes n ON n.customer_id = c2.id AND ${sql.scoped("n")}
      WHERE ${sql.scoped("c2")} AND c2.import_id = ${id} AND c2.id > ${after} AND c2.id <= ${upTo}
    UNION ALL
    SELECT t.customer_id AS id, 4 AS bit
      FROM customers c3 JOIN tasks t ON t.customer_id = c3.id AND ${sql.scoped("t")}
      WHERE ${sql.scoped("c3")} AND c3.import_id = ${id} AND c3.id > ${after} AND c3.id <= ${upTo}
        AND t.created_by_id IS NOT NULL
    UNION ALL
    SELECT ic.customer_id AS id, 64 AS bit
      FROM customers c4 JOIN import_changes ic ON ic.customer_id = c4.id AND ${sql.scoped("ic")}
      WHERE ${sql.scoped("c4")} AND c4.import_id = ${id} AND c4.id > ${after} AND c4.id <= ${upTo}
        AND ic.import_id <> ${id}
    ${sql.raw(close)}`;
}

/**
 * The import's customers in `range` that carry work done since, with the reasons (the first
 * `limit` by id when given). Inside the undo's transaction it runs after the customers are
 * locked, so what it sees cannot change before they are deleted.
 */
export async function keptCustomers(
  deps: Pick<ImportDeps, "sequelize">,
  record: Pick<Import, "id" | "businessId">,
  range: IdRange,
  transaction?: Transaction,
  limit: number | null = null,
): Promise<KeptCustomers> {
  const rows = await keptRows(deps, record, range, { kind: "customers", limit }, transaction);
  return new Map(rows.map((row) => [Number(row.id), new Set(reasonsOf(Number(row.mask)))]));
}

export interface KeptCounts {
  total: number;
  reasons: Array<{ reason: KeptReason; count: number }>;
}

function countsFrom(mixes: Array<{ mask: number; n: number }>): KeptCounts {
  const counts = new Map<KeptReason, number>();
  let total = 0;
  for (const { mask, n } of mixes) {
    total += n;
    for (const reason of reasonsOf(mask)) counts.set(reason, (counts.get(reason) ?? 0) + n);
  }
  return {
    total,
    reasons: keptReasons
      .filter((reason) => counts.has(reason))
      .map((reason) => ({ reason, count: counts.get(reason) as number })),
  };
}

/** The counts of customers already read (all the kept ones). */
export function countsOfKept(kept: KeptCustomers): KeptCounts {
  return countsFrom(
    [...kept.values()].map((reasons) => ({
      mask: [...reasons].reduce((mask, reason) => mask | bits[reason], 0),
      n: 1,
    })),
  );
}

/** How many of the import's customers are kept, and how many for each reason (one statement). */
export async function keptCounts(
  deps: Pick<ImportDeps, "sequelize">,
  record: Pick<Import, "id" | "businessId">,
): Promise<KeptCounts> {
  const mixes = await keptRows(deps, record, wholeImport, { kind: "mixes" });
  return countsFrom(mixes.map((mix) => ({ mask: Number(mix.mask), n: Number(mix.n) })));
}
