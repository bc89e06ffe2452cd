import type { Transaction } from "sequelize";
import type { SqlValue } from "../../db/bulk";
import { tenantSql, type TenantSql } from "../../tenancy/sql";
import { customerRowColumns } from "../customers/writes";
import { ensureTags } from "../customers/tags";
import {
  existingCustomers,
  importScope,
  planBatch,
  roomFor,
  type Batch,
  type BatchCounts,
  type BatchPlan,
  type NewCustomer,
  type PlanContext,
} from "./batchPlan";
import type { PreparedCustomer } from "./fastInput";

/**
 * Writes one batch of rows in one transaction: the customers it creates, the ones it updates,
 * their tags and "imported" timeline events, the rows it could not take, the business's customer
 * count — and the import's checkpoint and counts. Either all of it commits or none, which is what
 * makes a resumed import exact. Rows go in as multi-row INSERTs, never one by one, through the
 * tenant SQL builder: each row gets the import's business_id from the scope, and every UPDATE
 * names it.
 */
export interface WriterContext extends PlanContext {
  leaseOwner: string;
  actorId: number | null;
  /** Tag ids by name, shared across batches (cleared when a batch rolls back). */
  tagIds: Map<string, number>;
  /** The upload's name, for the "imported" timeline events. */
  fileName: string;
}

export class LeaseLostError extends Error {
  constructor() {
    super("Another runner has taken this import over");
    this.name = "LeaseLostError";
  }
}

const customerColumnNames = ["owner_id", "import_id", ...customerRowColumns];

/** The customers INSERT tuple of a prepared row (business_id is added by the insert). */
export function customerTuple(
  ctx: Pick<PlanContext, "importId" | "literals">,
  customer: PreparedCustomer,
  now: Date,
): string {
  const c = customer.columns;
  return ctx.literals.row([
    customer.input.ownerId,
    ctx.importId,
    c.name,
    c.nameKey,
    c.nameTail,
    c.email,
    c.phoneE164,
    c.phoneNational,
    c.phoneReversed,
    c.whatsappE164,
    c.consentAt,
    c.birthDate,
    c.anniversary,
    c.birthdayMd,
    c.anniversaryMd,
    now,
    now,
  ]);
}

/**
 * The ids of the batch's tags, created when missing. Tags this import creates are marked with its
 * id (tags.import_id), so its undo can remove them once no customer carries them.
 */
async function tagIdsFor(
  ctx: WriterContext,
  sql: TenantSql,
  names: Set<string>,
  transaction: Transaction,
) {
  const missing = [...names].filter((name) => !ctx.tagIds.has(name));
  if (missing.length > 0) {
    const known = await sql.select<{ name: string }>`
      SELECT name FROM tags WHERE ${sql.scoped("tags")} AND name IN ${missing}`;
    const existed = new Set(known.map((tag) => tag.name));
    const tags = await ensureTags(ctx.deps.models, importScope(ctx), missing, transaction);
    for (const tag of tags) ctx.tagIds.set(tag.name, tag.id);
    const made = tags.filter((tag) => !existed.has(tag.name)).map((tag) => tag.id);
    if (made.length > 0)
      await sql.changed`UPDATE tags SET import_id = ${ctx.importId}
        WHERE ${sql.scoped("tags")} AND id IN ${made} AND import_id IS NULL`;
  }
  return ctx.tagIds;
}

async function advanceCheckpoint(
  ctx: WriterContext,
  sql: TenantSql,
  batch: Batch,
  counts: BatchCounts,
  now: Date,
): Promise<void> {
  const affected = await sql.changed`
    UPDATE imports SET processed_rows = ${batch.to}, created_count = created_count + ${counts.created},
      updated_count = updated_count + ${counts.updated}, skipped_count = skipped_count + ${counts.skipped},
      failed_count = failed_count + ${counts.failed}, updated_at = ${now}
    WHERE ${sql.scoped("imports")} AND id = ${ctx.importId} AND lease_owner = ${ctx.leaseOwner}
      AND processed_rows = ${batch.from}`;
  if (affected !== 1) throw new LeaseLostError();
}

async function writeUpdates(ctx: WriterContext, sql: TenantSql, plan: BatchPlan, now: Date) {
  const { literals } = sql;
  const tagIds = ctx.tagIds;
  const ids = plan.updates.map((u) => u.existing.id);
  const current = new Map<number, Set<number>>();
  if (ids.length > 0) {
    const links = await sql.select<{ customer_id: number; tag_id: number }>`
      SELECT customer_id, tag_id FROM customer_tags
      WHERE ${sql.scoped("customer_tags")} AND customer_id IN ${ids}`;
    for (const link of links) {
      const set = current.get(link.customer_id) ?? new Set<number>();
      set.add(link.tag_id);
      current.set(link.customer_id, set);
    }
  }
  const tagRows: SqlValue[][] = [];
  const changeRows: SqlValue[][] = [];
  const events: SqlValue[][] = [];
  for (const { existing, customer, change } of plan.updates) {
    const had = current.get(existing.id) ?? new Set<number>();
    const addedNames = customer.input.tags.filter((name) => !had.has(tagIds.get(name) as number));
    const added = addedNames.map((name) => tagIds.get(name) as number);
    for (const tagId of added) tagRows.push([existing.id, tagId]);
    if (change) {
      // Column names are the importer's own (updates.ts), never the file's.
      const assignments = Object.entries({ ...change.set, updated_at: now })
        .map(([column, value]) => `${column} = ${literals.value(value)}`)
        .join(", ");
      await sql.changed`UPDATE customers SET ${sql.raw(assignments)}
        WHERE ${sql.scoped("customers")} AND id = ${existing.id}`;
    }
    if (change || added.length > 0) {
      changeRows.push([
        ctx.importId,
        existing.id,
        JSON.stringify(change?.before ?? {}),
        JSON.stringify(change?.after ?? {}),
        JSON.stringify(added),
      ]);
    }
    const details = {
      importId: ctx.importId,
      file: ctx.fileName,
      ...(change ? { changes: change.after } : {}),
      ...(addedNames.length ? { tags: addedNames } : {}),
    };
    events.push([existing.id, ctx.actorId, "imported", JSON.stringify(details), now]);
  }
  await sql.insertRows("customer_tags", ["customer_id", "tag_id"], tagRows);
  await sql.insertRows(
    "import_changes",
    ["import_id", "customer_id", "before_values", "after_values", "added_tag_ids"],
    changeRows,
  );
  return events;
}

/** The ids of just-created customers, read back by their phone numbers (unique per business). */
async function idsByPhone(sql: TenantSql, creates: NewCustomer[]): Promise<number[]> {
  const phones = creates.map((c) => c.phone);
  const rows = await sql.select<{ id: number; phone_e164: string }>`
    SELECT id, phone_e164 FROM customers
    WHERE ${sql.scoped("customers")} AND phone_e164 IN ${phones}`;
  const idByPhone = new Map(rows.map((r) => [r.phone_e164, Number(r.id)]));
  return phones.map((phone) => idByPhone.get(phone) as number);
}

async function writeCreates(ctx: WriterContext, sql: TenantSql, plan: BatchPlan, now: Date) {
  if (plan.creates.length === 0) return [];
  const tagIds = ctx.tagIds;
  const ids =
    (await sql.insertTuplesWithIds(
      "customers",
      customerColumnNames,
      plan.creates.map((create) => create.tuple),
    )) ?? (await idsByPhone(sql, plan.creates));
  const tagRows: SqlValue[][] = [];
  const events: SqlValue[][] = [];
  const details = JSON.stringify({ importId: ctx.importId, file: ctx.fileName });
  for (let i = 0; i < plan.creates.length; i++) {
    const create = plan.creates[i] as NewCustomer;
    const id = ids[i] as number;
    for (const name of create.tags) tagRows.push([id, tagIds.get(name) as number]);
    events.push([id, ctx.actorId, "imported", details, now]);
  }
  await sql.insertRows("customer_tags", ["customer_id", "tag_id"], tagRows);
  return events;
}

/** Writes the batch; throws LeaseLostError (nothing written) when another runner took over. */
export async function writeBatch(ctx: WriterContext, batch: Batch): Promise<BatchCounts> {
  try {
    return await ctx.deps.sequelize.transaction(async (transaction) => {
      const sql = tenantSql(ctx.deps, importScope(ctx), transaction);
      const now = ctx.deps.clock.now();
      const phones: string[] = [];
      const tagNames = new Set<string>();
      for (const row of batch.rows) {
        if (row.kind !== "ok") continue;
        phones.push(row.create.phone);
        for (const tag of row.create.tags) tagNames.add(tag);
      }
      const existing = await existingCustomers(ctx, phones, transaction);
      const room = phones.length > existing.size ? await roomFor(ctx, transaction) : 0;
      const plan = planBatch(ctx, batch, existing, room);
      await advanceCheckpoint(ctx, sql, batch, plan.counts, now);
      await tagIdsFor(ctx, sql, tagNames, transaction);
      const events = [
        ...(await writeCreates(ctx, sql, plan, now)),
        ...(await writeUpdates(ctx, sql, plan, now)),
      ];
      await sql.insertRows(
        "timeline_events",
        ["customer_id", "actor_id", "kind", "details", "created_at"],
        events,
      );
      await sql.insertRows(
        "import_errors",
        ["import_id", "source_row", "kind", "row_values", "messages"],
        plan.errors,
      );
      if (plan.counts.created > 0) {
        await sql.run`UPDATE businesses SET customer_count = customer_count + ${plan.counts.created}
          WHERE ${sql.scoped("businesses")}`;
      }
      return plan.counts;
    });
  } catch (error) {
    // Tags created inside the rolled-back transaction no longer exist.
    ctx.tagIds.clear();
    throw error;
  }
}
