import { Op, type Transaction } from "sequelize";
import type { SqlValue } from "../../db/bulk";
import { AppError } from "../../errors";
import type { Import } from "../../models";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tenantSql, type TenantSql } from "../../tenancy/sql";
import { recordEvents, type TimelineEntry } from "../customers/timeline";
import { importLimits, type ImportDeps } from "./deps";
import { updatableFields, type UpdatableField } from "./fields";
import { keptCustomers } from "./kept";
import { columnsFor, comparableOf, type ExistingCustomer, type FieldValues } from "./updates";
import { countsChanged } from "../dashboard/versions";

/**
 * The steps of an undo (run by runRevert in revert.ts), each batch one transaction that also
 * moves the undo's checkpoint and adds to its counts, and only while the runner holds the lease:
 * a runner that lost it changes nothing, and a resumed undo starts exactly after the last batch.
 */
/** At most 500 customers a batch (IMPORT_BATCH_SIZE when smaller, as in tests). */
function batchSize(deps: ImportDeps): number {
  return Math.min(500, importLimits(deps.config).batchSize);
}

const lostMessage = "Another runner is undoing this import.";

function scopeOf(record: Import) {
  return businessScope(record.businessId);
}

/** Row locks for what a batch decides on (SQLite has one writer at a time anyway). */
function forUpdate(deps: ImportDeps, sql: TenantSql) {
  return sql.raw(deps.sequelize.getDialect() === "mysql" ? "FOR UPDATE" : "");
}

/**
 * Decides on up to one batch of the customers the import created, after the checkpoint: kept
 * when work was done on them since (kept.ts), deleted otherwise — with the tasks the reminders
 * made for them on their own, which would be left without a customer. Returns how many it
 * looked at (0: none left).
 */
export async function deleteCreated(
  deps: ImportDeps,
  record: Import,
  owner: string,
): Promise<number> {
  const read = tenantSql(deps, scopeOf(record));
  const rows = await read.select<{ id: number }>`
    SELECT id FROM customers
    WHERE ${read.scoped("customers")} AND import_id = ${record.id}
      AND id > ${record.revertCustomerCursor}
    ORDER BY id LIMIT ${batchSize(deps)}`;
  if (rows.length === 0) return 0;
  const range = {
    after: record.revertCustomerCursor,
    upTo: Number(rows[rows.length - 1]?.id),
  };
  await deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, scopeOf(record), transaction);
    const moved = await sql.changed`
      UPDATE imports SET revert_customer_cursor = ${range.upTo}, updated_at = ${deps.clock.now()}
      WHERE ${sql.scoped("imports")} AND id = ${record.id} AND lease_owner = ${owner}
        AND revert_customer_cursor = ${range.after}`;
    if (moved !== 1) throw new AppError("conflict", lostMessage);
    // Locked before anything is read about them: a note or an edit committing meanwhile waits
    // for this batch, or is seen by it (InnoDB reads the rest after the locks are held).
    const present = await sql.select<{ id: number }>`
      SELECT id FROM customers
      WHERE ${sql.scoped("customers")} AND import_id = ${record.id}
        AND id > ${range.after} AND id <= ${range.upTo} ${forUpdate(deps, sql)}`;
    const kept = await keptCustomers(deps, record, range, transaction);
    const doomed = present.map((row) => Number(row.id)).filter((id) => !kept.has(id));
    let deleted = 0;
    if (doomed.length > 0) {
      await sql.changed`
        DELETE FROM tasks WHERE ${sql.scoped("tasks")} AND customer_id IN ${doomed}
          AND created_by_id IS NULL`;
      deleted = await sql.changed`
        DELETE FROM customers WHERE ${sql.scoped("customers")} AND id IN ${doomed}`;
      if (deleted > 0) {
        await sql.changed`
          UPDATE businesses SET customer_count = customer_count - ${deleted}
          WHERE ${sql.scoped("businesses")}`;
        await countsChanged(deps, scopeOf(record), "customers", transaction);
      }
    }
    await sql.changed`
      UPDATE imports SET reverted_deleted_count = reverted_deleted_count + ${deleted},
        reverted_kept_count = reverted_kept_count + ${kept.size}
      WHERE ${sql.scoped("imports")} AND id = ${record.id}`;
  });
  record.revertCustomerCursor = range.upTo;
  return rows.length;
}

interface Change {
  customerId: number;
  before: FieldValues;
  after: FieldValues;
  addedTagIds: number[];
}

/** One changed customer back as it was: fields still holding the import's value, its tags. */
async function restoreOne(
  deps: ImportDeps,
  record: Import,
  change: Change,
  customer: ExistingCustomer,
  transaction: Transaction,
): Promise<TimelineEntry | null> {
  const set: Record<string, SqlValue> = {};
  const restored: Record<string, [string | null, string | null]> = {};
  for (const field of Object.keys(change.after) as UpdatableField[]) {
    if (!updatableFields.includes(field)) continue;
    const now = comparableOf(customer, field);
    // Changed again since: that change wins.
    if (now !== change.after[field]) continue;
    const before = change.before[field] ?? null;
    Object.assign(set, columnsFor(field, before, customer.phoneE164));
    restored[field] = [now, before];
  }
  const sql = tenantSql(deps, scopeOf(record), transaction);
  if (Object.keys(set).length > 0) {
    // Column names are the importer's own (updates.ts), never the file's.
    const assignments = Object.entries({ ...set, updated_at: deps.clock.now() })
      .map(([column, value]) => `${column} = ${sql.literals.value(value)}`)
      .join(", ");
    await sql.changed`UPDATE customers SET ${sql.raw(assignments)}
      WHERE ${sql.scoped("customers")} AND id = ${customer.id}`;
  }
  let untagged = 0;
  if (change.addedTagIds.length > 0) {
    untagged = await sql.changed`
      DELETE FROM customer_tags WHERE ${sql.scoped("customer_tags")}
        AND customer_id = ${customer.id} AND tag_id IN ${change.addedTagIds}`;
  }
  if (Object.keys(restored).length === 0 && untagged === 0) return null;
  return {
    customerId: customer.id,
    kind: "updated",
    details: { changes: restored, revertedImportId: record.id, file: record.fileName },
  };
}

/** Restores up to one batch of the customers the import changed, after the checkpoint. */
export async function restoreChanged(
  deps: ImportDeps,
  record: Import,
  owner: string,
): Promise<number> {
  const { models, sequelize } = deps;
  const scope = scopeOf(record);
  const changes = await models.ImportChange.findAll({
    where: tenantWhere(scope, models.ImportChange, {
      importId: record.id,
      id: { [Op.gt]: record.revertCursor },
    }),
    order: [["id", "ASC"]],
    limit: batchSize(deps),
  });
  if (changes.length === 0) return 0;
  const last = changes[changes.length - 1]?.id as number;
  await sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, scope, transaction);
    const moved = await sql.changed`
      UPDATE imports SET revert_cursor = ${last}, updated_at = ${deps.clock.now()}
      WHERE ${sql.scoped("imports")} AND id = ${record.id} AND lease_owner = ${owner}
        AND revert_cursor = ${record.revertCursor}`;
    if (moved !== 1) throw new AppError("conflict", lostMessage);
    const customers = await models.Customer.findAll({
      where: tenantWhere(scope, models.Customer, {
        id: { [Op.in]: changes.map((c) => c.customerId) },
      }),
      attributes: [
        "id",
        "ownerId",
        "phoneE164",
        "name",
        "email",
        "whatsappE164",
        "consentAt",
        "birthDate",
        "anniversary",
      ],
      // Compared, then written: an edit committing in between would be overwritten otherwise.
      lock: transaction.LOCK.UPDATE,
      transaction,
    });
    const byId = new Map(customers.map((c) => [c.id, c.get({ plain: true }) as ExistingCustomer]));
    const entries: TimelineEntry[] = [];
    for (const change of changes) {
      const customer = byId.get(change.customerId);
      if (!customer) continue;
      const parsed: Change = {
        customerId: change.customerId,
        before: JSON.parse(change.beforeValues) as FieldValues,
        after: JSON.parse(change.afterValues) as FieldValues,
        addedTagIds: JSON.parse(change.addedTagIds) as number[],
      };
      const entry = await restoreOne(deps, record, parsed, customer, transaction);
      if (entry) entries.push(entry);
    }
    await recordEvents(
      deps,
      { businessId: record.businessId, actorId: record.revertedById },
      entries,
      transaction,
    );
    await sql.changed`
      UPDATE imports SET reverted_restored_count = reverted_restored_count + ${entries.length}
      WHERE ${sql.scoped("imports")} AND id = ${record.id}`;
  });
  record.revertCursor = last;
  return changes.length;
}

/**
 * Deletes the tags the import created that no customer carries any more. A tag someone has put
 * on a customer by hand is still on that customer (customers tagged by hand since are kept), so
 * it stays. Runs once, at the end; repeating it deletes nothing more.
 */
export async function removeCreatedTags(
  deps: ImportDeps,
  record: Import,
  owner: string,
): Promise<void> {
  await deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, scopeOf(record), transaction);
    // A locking read, not an UPDATE: MySQL counts only rows an UPDATE really changes.
    const [held] = await sql.select<{ lease_owner: string | null }>`
      SELECT lease_owner FROM imports WHERE ${sql.scoped("imports")} AND id = ${record.id}
      ${forUpdate(deps, sql)}`;
    if (held?.lease_owner !== owner) throw new AppError("conflict", lostMessage);
    const deleted = await sql.changed`
      DELETE FROM tags WHERE ${sql.scoped("tags")} AND import_id = ${record.id}
        AND NOT EXISTS (SELECT 1 FROM customer_tags ct
          WHERE ${sql.scoped("ct")} AND ct.tag_id = tags.id)`;
    if (deleted > 0)
      await sql.changed`
        UPDATE imports SET reverted_tags_count = reverted_tags_count + ${deleted}
        WHERE ${sql.scoped("imports")} AND id = ${record.id}`;
  });
}
