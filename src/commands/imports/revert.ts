import { Op, type Transaction } from "sequelize";
import { AppError } from "../../errors";
import type { Import } from "../../models";
import { recordEvents, type TimelineEntry } from "../customers/timeline";
import { importLimits, type ImportDeps } from "./deps";
import { updatableFields, type UpdatableField } from "./fields";
import { claimImport, keepImportLease, releaseImport } from "./lease";
import type { RunOptions, RunOutcome } from "./run";
import type { SqlValue } from "../../db/bulk";
import type { TenantContext } from "../../tenancy/context";
import { businessScope, ownBusiness, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { columnsFor, comparableOf, type ExistingCustomer, type FieldValues } from "./updates";

/**
 * Undo: the customers an import created are deleted (their tags, timeline and notes go with
 * them), and each field it changed on an existing customer gets its old value back — unless the
 * field has changed again since, which then wins. Tags it added are taken off. Runs in the
 * background in batches, each its own transaction, so a killed runner resumes where it stopped.
 * It works on the import's business as a whole (the record was loaded through the member's scope;
 * its customers are deleted whoever owns them now).
 */
const batchSize = 500;

export function revertDeadline(record: Import, revertDays: number): Date | null {
  return record.finishedAt ? new Date(record.finishedAt.getTime() + revertDays * 86_400_000) : null;
}

export function canRevert(record: Import, revertDays: number, now: Date): boolean {
  const deadline = revertDeadline(record, revertDays);
  return (
    (record.status === "completed" || record.status === "failed") &&
    record.processedRows > 0 &&
    deadline !== null &&
    deadline > now
  );
}

/** Marks the import for undo; the caller enqueues the revert job. */
export async function requestRevert(deps: ImportDeps, record: Import, userId: number) {
  const now = deps.clock.now();
  if (!canRevert(record, importLimits(deps.config).revertDays, now))
    throw new AppError("conflict", "This import can no longer be undone.");
  const sql = tenantSql(deps, businessScope(record.businessId));
  const marked = await sql.changed`
    UPDATE imports SET status = 'reverting', reverted_by_id = ${userId}, seq = seq + 1,
      run_started_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status IN ('completed', 'failed')`;
  if (marked !== 1) throw new AppError("conflict", "This import can no longer be undone.");
  return record.reload();
}

/** Deletes up to one batch of the customers the import created; returns how many. */
async function deleteCreated(deps: ImportDeps, record: Import): Promise<number> {
  const scope = businessScope(record.businessId);
  const read = tenantSql(deps, scope);
  const rows = await read.select<{ id: number }>`
    SELECT id FROM customers
    WHERE ${read.scoped("customers")} AND import_id = ${record.id} LIMIT ${batchSize}`;
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => Number(r.id));
  await deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, scope, transaction);
    const deleted = await sql.changed`
      DELETE FROM customers WHERE ${sql.scoped("customers")} AND id IN ${ids}`;
    // Only what this transaction really deleted is counted: a second runner deletes nothing.
    if (deleted > 0)
      await deps.models.Business.decrement("customerCount", {
        by: deleted,
        where: ownBusiness(scope),
        transaction,
      });
  });
  return rows.length;
}

async function restoreOne(
  deps: ImportDeps,
  record: Import,
  change: { customerId: number; before: FieldValues; after: FieldValues; addedTagIds: number[] },
  customer: ExistingCustomer,
  transaction: Transaction,
): Promise<TimelineEntry | null> {
  const set: Record<string, SqlValue> = {};
  const restored: Record<string, [string | null, string | null]> = {};
  for (const field of Object.keys(change.after) as UpdatableField[]) {
    if (!updatableFields.includes(field)) continue;
    const now = comparableOf(customer, field);
    if (now !== change.after[field]) continue;
    const before = change.before[field] ?? null;
    Object.assign(set, columnsFor(field, before, customer.phoneE164));
    restored[field] = [now, before];
  }
  const scope = businessScope(record.businessId);
  if (Object.keys(set).length > 0) {
    const sql = tenantSql(deps, scope, transaction);
    // Column names are the importer's own (updates.ts), never the file's.
    const assignments = Object.entries({ ...set, updated_at: deps.clock.now() })
      .map(([column, value]) => `${column} = ${sql.literals.value(value)}`)
      .join(", ");
    await sql.changed`UPDATE customers SET ${sql.raw(assignments)}
      WHERE ${sql.scoped("customers")} AND id = ${customer.id}`;
  }
  if (change.addedTagIds.length > 0) {
    await deps.models.CustomerTag.destroy({
      where: tenantWhere(scope, deps.models.CustomerTag, {
        customerId: customer.id,
        tagId: { [Op.in]: change.addedTagIds },
      }),
      transaction,
    });
  }
  if (Object.keys(restored).length === 0 && change.addedTagIds.length === 0) return null;
  return {
    customerId: customer.id,
    kind: "updated",
    details: { changes: restored, revertedImportId: record.id, file: record.fileName },
  };
}

/** Restores up to one batch of changed customers after the cursor; returns how many. */
async function restoreChanged(deps: ImportDeps, record: Import, owner: string): Promise<number> {
  const { models, sequelize } = deps;
  const scope = businessScope(record.businessId);
  const changes = await models.ImportChange.findAll({
    where: tenantWhere(scope, models.ImportChange, {
      importId: record.id,
      id: { [Op.gt]: record.revertCursor },
    }),
    order: [["id", "ASC"]],
    limit: batchSize,
  });
  if (changes.length === 0) return 0;
  const last = changes[changes.length - 1]?.id as number;
  await sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, scope, transaction);
    const moved = await sql.changed`
      UPDATE imports SET revert_cursor = ${last}, updated_at = ${deps.clock.now()}
      WHERE ${sql.scoped("imports")} AND id = ${record.id} AND lease_owner = ${owner}
        AND revert_cursor = ${record.revertCursor}`;
    if (moved !== 1) throw new AppError("conflict", "Another runner is undoing this import.");
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
      transaction,
    });
    const byId = new Map(customers.map((c) => [c.id, c.get({ plain: true }) as ExistingCustomer]));
    const entries: TimelineEntry[] = [];
    for (const change of changes) {
      const customer = byId.get(change.customerId);
      if (!customer) continue;
      const entry = await restoreOne(
        deps,
        record,
        {
          customerId: change.customerId,
          before: JSON.parse(change.beforeValues) as FieldValues,
          after: JSON.parse(change.afterValues) as FieldValues,
          addedTagIds: JSON.parse(change.addedTagIds) as number[],
        },
        customer,
        transaction,
      );
      if (entry) entries.push(entry);
    }
    await recordEvents(
      deps,
      { businessId: record.businessId, actorId: record.revertedById },
      entries,
      transaction,
    );
  });
  record.revertCursor = last;
  return changes.length;
}

/**
 * Runs an import's undo to the end (status "reverting" → "reverted"). Stopped by
 * `options.signal`, it gives the import up after the batch in progress (outcome "stopped").
 */
export async function runRevert(
  deps: ImportDeps,
  ctx: TenantContext,
  importId: number,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const claim = await claimImport(deps, ctx, importId, ["reverting"], "reverting");
  if (claim.kind === "held")
    return { kind: "held", until: claim.lease.expiresAt, epoch: claim.lease.epoch };
  if (claim.kind === "idle") return { kind: "idle" };
  const { record } = claim;
  const { owner } = claim.lease;
  const lease = keepImportLease(deps, record, owner);
  // Between batches (each its own transaction): taken over, or asked to stop.
  const interrupted = async (): Promise<RunOutcome | null> => {
    if (lease.lost) return { kind: "lost" };
    if (!options.signal?.aborted) return null;
    lease.stop();
    return (await releaseImport(deps, record, owner)) ? { kind: "stopped" } : { kind: "lost" };
  };
  try {
    await options.onClaimed?.(record);
    let stop: RunOutcome | null = null;
    while (!stop && (await deleteCreated(deps, record)) > 0) stop = await interrupted();
    while (!stop && (await restoreChanged(deps, record, owner)) > 0) stop = await interrupted();
    if (stop) return stop;
    const now = deps.clock.now();
    const sql = tenantSql(deps, businessScope(record.businessId));
    await sql.changed`
      UPDATE imports SET status = 'reverted', reverted_at = ${now}, lease_owner = NULL,
        lease_expires_at = NULL, updated_at = ${now}
      WHERE ${sql.scoped("imports")} AND id = ${importId} AND lease_owner = ${owner}`;
    return { kind: "done" };
  } catch (error) {
    await releaseImport(deps, record, owner).catch(() => undefined);
    if (error instanceof AppError && error.id === "conflict") return { kind: "lost" };
    throw error;
  } finally {
    lease.stop();
  }
}
