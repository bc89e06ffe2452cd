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

const reasonOfKind: Record<string, KeptReason> = {
  updated: "edited",
  note_added: "note",
  task_created: "task",
  task_updated: "task",
  task_completed: "task",
  tagged: "tagged",
  untagged: "tagged",
  merged: "merged",
  message_sent: "messaged",
};

/** Customers the import created, by id, with why each is kept (only kept ones appear). */
export type KeptCustomers = Map<number, Set<KeptReason>>;

/** Which of the import's customers to look at: ids in (after, upTo]. */
export interface IdRange {
  after: number;
  upTo: number;
}

export const wholeImport: IdRange = { after: 0, upTo: Number.MAX_SAFE_INTEGER };

/**
 * The import's customers in `range` that carry work done since, with the reasons. Four grouped
 * reads driven by the (business_id, import_id) index; rows come back only for kept customers.
 * Inside the undo's transaction it runs after the customers are locked, so what it sees cannot
 * change before they are deleted.
 */
export async function keptCustomers(
  deps: Pick<ImportDeps, "sequelize">,
  record: Pick<Import, "id" | "businessId">,
  range: IdRange,
  transaction?: Transaction,
): Promise<KeptCustomers> {
  const sql = tenantSql(deps, businessScope(record.businessId), transaction);
  const { after, upTo } = range;
  const kept: KeptCustomers = new Map();
  const add = (id: number | string, reason: KeptReason) => {
    const key = Number(id);
    const reasons = kept.get(key) ?? new Set<KeptReason>();
    reasons.add(reason);
    kept.set(key, reasons);
  };
  const events = await sql.select<{ id: number; kind: string; by_person: number | string }>`
    SELECT e.customer_id AS id, e.kind,
      MAX(CASE WHEN e.actor_id IS NULL THEN 0 ELSE 1 END) AS by_person
    FROM customers c JOIN timeline_events e ON e.customer_id = c.id AND ${sql.scoped("e")}
    WHERE ${sql.scoped("c")} AND c.import_id = ${record.id} AND c.id > ${after} AND c.id <= ${upTo}
      AND e.kind <> 'imported'
      AND NOT (e.kind IN ('tagged', 'untagged') AND e.details LIKE '%"via":%')
    GROUP BY e.customer_id, e.kind`;
  for (const event of events) {
    if (event.kind === "task_created" && Number(event.by_person) === 0) continue;
    add(event.id, reasonOfKind[event.kind] ?? "other");
  }
  const notes = await sql.select<{ id: number }>`
    SELECT DISTINCT n.customer_id AS id
    FROM customers c JOIN notes n ON n.customer_id = c.id AND ${sql.scoped("n")}
    WHERE ${sql.scoped("c")} AND c.import_id = ${record.id} AND c.id > ${after} AND c.id <= ${upTo}`;
  for (const note of notes) add(note.id, "note");
  const tasks = await sql.select<{ id: number }>`
    SELECT DISTINCT k.customer_id AS id
    FROM customers c JOIN tasks k ON k.customer_id = c.id AND ${sql.scoped("k")}
    WHERE ${sql.scoped("c")} AND c.import_id = ${record.id} AND c.id > ${after} AND c.id <= ${upTo}
      AND k.created_by_id IS NOT NULL`;
  for (const task of tasks) add(task.id, "task");
  const later = await sql.select<{ id: number }>`
    SELECT DISTINCT ic.customer_id AS id
    FROM customers c JOIN import_changes ic ON ic.customer_id = c.id AND ${sql.scoped("ic")}
    WHERE ${sql.scoped("c")} AND c.import_id = ${record.id} AND c.id > ${after} AND c.id <= ${upTo}
      AND ic.import_id <> ${record.id}`;
  for (const change of later) add(change.id, "reimported");
  return kept;
}

/** How many kept customers there are for each reason (a customer may count under several). */
export function reasonCounts(kept: KeptCustomers): Array<{ reason: KeptReason; count: number }> {
  const counts = new Map<KeptReason, number>();
  for (const reasons of kept.values())
    for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return keptReasons
    .filter((reason) => counts.has(reason))
    .map((reason) => ({ reason, count: counts.get(reason) as number }));
}
