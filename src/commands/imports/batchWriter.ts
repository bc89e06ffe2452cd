import { QueryTypes, type Transaction } from "sequelize";
import { customerRowColumns } from "../customers/writes";
import { ensureTags } from "../customers/tags";
import {
  existingCustomers,
  planBatch,
  roomFor,
  type Batch,
  type BatchCounts,
  type BatchPlan,
  type NewCustomer,
  type PlanContext,
} from "./batchPlan";
import type { PreparedCustomer } from "./fastInput";
import { insertRows, insertTuplesWithIds, type SqlValue } from "../../db/bulk";

/**
 * Writes one batch of rows in one transaction: the customers it creates, the ones it updates,
 * their tags and "imported" timeline events, the rows it could not take, the business's customer
 * count — and the import's checkpoint and counts. Either all of it commits or none, which is what
 * makes a resumed import exact. Rows go in as multi-row INSERTs, never one by one.
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

const customerColumnNames = ["business_id", "owner_id", "import_id", ...customerRowColumns];

/** The customers INSERT tuple of a prepared row. */
export function customerTuple(
  ctx: Pick<PlanContext, "businessId" | "importId" | "literals">,
  customer: PreparedCustomer,
  now: Date,
): string {
  const c = customer.columns;
  return ctx.literals.row([
    ctx.businessId,
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

async function tagIdsFor(ctx: WriterContext, names: Set<string>, transaction: Transaction) {
  const missing = [...names].filter((name) => !ctx.tagIds.has(name));
  if (missing.length > 0) {
    const tags = await ensureTags(ctx.deps.models, ctx.businessId, missing, transaction);
    for (const tag of tags) ctx.tagIds.set(tag.name, tag.id);
  }
  return ctx.tagIds;
}

async function advanceCheckpoint(
  ctx: WriterContext,
  batch: Batch,
  counts: BatchCounts,
  transaction: Transaction,
): Promise<void> {
  const affected = await ctx.deps.sequelize.query(
    `UPDATE imports SET processed_rows = :to, created_count = created_count + :created,
       updated_count = updated_count + :updated, skipped_count = skipped_count + :skipped,
       failed_count = failed_count + :failed, updated_at = :now
     WHERE id = :id AND lease_owner = :owner AND processed_rows = :from`,
    {
      type: QueryTypes.BULKUPDATE,
      replacements: {
        ...counts,
        id: ctx.importId,
        owner: ctx.leaseOwner,
        from: batch.from,
        to: batch.to,
        now: new Date(),
      },
      transaction,
    },
  );
  if (Number(affected) !== 1) throw new LeaseLostError();
}

async function writeUpdates(
  ctx: WriterContext,
  plan: BatchPlan,
  tagIds: Map<string, number>,
  now: Date,
  transaction: Transaction,
) {
  const { sequelize } = ctx.deps;
  const { literals } = ctx;
  const ids = plan.updates.map((u) => u.existing.id);
  const current = new Map<number, Set<number>>();
  if (ids.length > 0) {
    const links = await sequelize.query<{ customer_id: number; tag_id: number }>(
      `SELECT customer_id, tag_id FROM customer_tags WHERE business_id = :businessId AND customer_id IN (:ids)`,
      { type: QueryTypes.SELECT, replacements: { businessId: ctx.businessId, ids }, transaction },
    );
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
    for (const tagId of added) tagRows.push([existing.id, tagId, ctx.businessId]);
    if (change) {
      const assignments = Object.entries({ ...change.set, updated_at: now })
        .map(([column, value]) => `${column} = ${literals.value(value)}`)
        .join(", ");
      await sequelize.query(`UPDATE customers SET ${assignments} WHERE id = ${existing.id}`, {
        type: QueryTypes.RAW,
        transaction,
      });
    }
    if (change || added.length > 0) {
      changeRows.push([
        ctx.businessId,
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
    events.push([
      ctx.businessId,
      existing.id,
      ctx.actorId,
      "imported",
      JSON.stringify(details),
      now,
    ]);
  }
  await insertRows(
    sequelize,
    literals,
    "customer_tags",
    ["customer_id", "tag_id", "business_id"],
    tagRows,
    transaction,
  );
  await insertRows(
    sequelize,
    literals,
    "import_changes",
    ["business_id", "import_id", "customer_id", "before_values", "after_values", "added_tag_ids"],
    changeRows,
    transaction,
  );
  return events;
}

/** The ids of just-created customers, read back by their phone numbers (unique per business). */
async function idsByPhone(
  ctx: WriterContext,
  creates: NewCustomer[],
  transaction: Transaction,
): Promise<number[]> {
  const phones = creates.map((c) => c.phone);
  const rows = await ctx.deps.sequelize.query<{ id: number; phone_e164: string }>(
    `SELECT id, phone_e164 FROM customers WHERE business_id = ${ctx.businessId} AND phone_e164 IN ${ctx.literals.list(phones)}`,
    { type: QueryTypes.SELECT, transaction },
  );
  const idByPhone = new Map(rows.map((r) => [r.phone_e164, Number(r.id)]));
  return phones.map((phone) => idByPhone.get(phone) as number);
}

async function writeCreates(
  ctx: WriterContext,
  plan: BatchPlan,
  tagIds: Map<string, number>,
  now: Date,
  transaction: Transaction,
) {
  const { sequelize } = ctx.deps;
  const { literals } = ctx;
  if (plan.creates.length === 0) return [];
  const ids =
    (await insertTuplesWithIds(
      sequelize,
      "customers",
      customerColumnNames,
      plan.creates.map((create) => create.tuple),
      transaction,
    )) ?? (await idsByPhone(ctx, plan.creates, transaction));
  const tagRows: SqlValue[][] = [];
  const events: SqlValue[][] = [];
  const details = JSON.stringify({ importId: ctx.importId, file: ctx.fileName });
  for (let i = 0; i < plan.creates.length; i++) {
    const create = plan.creates[i] as NewCustomer;
    const id = ids[i] as number;
    for (const name of create.tags) tagRows.push([id, tagIds.get(name) as number, ctx.businessId]);
    events.push([ctx.businessId, id, ctx.actorId, "imported", details, now]);
  }
  await insertRows(
    sequelize,
    literals,
    "customer_tags",
    ["customer_id", "tag_id", "business_id"],
    tagRows,
    transaction,
  );
  return events;
}

/** Writes the batch; throws LeaseLostError (nothing written) when another runner took over. */
export async function writeBatch(ctx: WriterContext, batch: Batch): Promise<BatchCounts> {
  const { sequelize } = ctx.deps;
  try {
    return await sequelize.transaction(async (transaction) => {
      const now = new Date();
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
      await advanceCheckpoint(ctx, batch, plan.counts, transaction);
      const tagIds = await tagIdsFor(ctx, tagNames, transaction);
      const events = [
        ...(await writeCreates(ctx, plan, tagIds, now, transaction)),
        ...(await writeUpdates(ctx, plan, tagIds, now, transaction)),
      ];
      await insertRows(
        sequelize,
        ctx.literals,
        "timeline_events",
        ["business_id", "customer_id", "actor_id", "kind", "details", "created_at"],
        events,
        transaction,
      );
      await insertRows(
        sequelize,
        ctx.literals,
        "import_errors",
        ["business_id", "import_id", "source_row", "kind", "row_values", "messages"],
        plan.errors,
        transaction,
      );
      if (plan.counts.created > 0) {
        await sequelize.query(
          `UPDATE businesses SET customer_count = customer_count + ${plan.counts.created} WHERE id = ${ctx.businessId}`,
          { type: QueryTypes.RAW, transaction },
        );
      }
      return plan.counts;
    });
  } catch (error) {
    // Tags created inside the rolled-back transaction no longer exist.
    ctx.tagIds.clear();
    throw error;
  }
}
