import { Op, type Transaction } from "sequelize";
import type { ImportMode } from "../../models";
import type { PlanRecord } from "../../plans/plans";
import { remaining } from "../../plans/planGate";
import { businessScope, tenantWhere, type TenantScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { ImportDeps } from "./deps";
import type { PreparedCustomer, RawCustomer } from "./fastInput";
import type { UpdateOptions } from "./fields";
import { cellText, type Cell } from "../../lib/spreadsheets";
import type { SqlLiterals, SqlValue } from "../../db/bulk";
import { computeChange, type CustomerChange, type ExistingCustomer } from "./updates";

/**
 * What a batch will do, decided from the database inside the batch's transaction: which rows
 * create a customer, which update one, which are skipped or fail (plan limit included).
 */
/**
 * A row that creates a customer if its phone is new. Its INSERT tuple is rendered as soon as the
 * row is read: a batch in flight then holds one string a row instead of its objects, which the
 * garbage collector would otherwise promote by the thousand (and the heap grow with them).
 */
export interface NewCustomer {
  phone: string;
  tags: string[];
  tuple: string;
}

export type PendingRow =
  | {
      kind: "ok";
      rowNumber: number;
      create: NewCustomer;
      /** The cells as read, kept only when a plan limit could turn the row down. */
      cells: Cell[] | null;
      /** Update mode: what the row says, to compare with the existing customer. */
      update: { customer: PreparedCustomer; raw: RawCustomer } | null;
    }
  | {
      kind: "error";
      rowNumber: number;
      errorKind: "invalid" | "duplicate";
      values: string[];
      messages: string[];
    };

export interface Batch {
  rows: PendingRow[];
  /** Checkpoint before and after this batch (records of the file consumed). */
  from: number;
  to: number;
}

export interface BatchCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** What planning a batch needs to know about the import. */
export interface PlanContext {
  deps: ImportDeps;
  importId: number;
  businessId: number;
  mode: ImportMode;
  update: UpdateOptions;
  /** Members who see only their own records update only customers they own. */
  onlyOwnedBy: number | null;
  plan: PlanRecord;
  literals: SqlLiterals;
}

/**
 * The importer's scope: the whole business. Phone numbers are unique per business, so matching
 * rows to customers looks at every customer; what a member who sees only their own may update is
 * decided per row (onlyOwnedBy).
 */
export function importScope(ctx: Pick<PlanContext, "businessId">): TenantScope {
  return businessScope(ctx.businessId);
}

/** The customers of the business that have these phone numbers, by number. */
export async function existingCustomers(
  ctx: PlanContext,
  phones: string[],
  transaction: Transaction,
): Promise<Map<string, ExistingCustomer>> {
  const found = new Map<string, ExistingCustomer>();
  if (phones.length === 0) return found;
  const { models } = ctx.deps;
  if (ctx.mode === "skip") {
    // Skipping needs only the ids; one raw query on the (business_id, phone_e164) unique index.
    const sql = tenantSql(ctx.deps, importScope(ctx), transaction);
    const rows = await sql.select<{ id: number; phone_e164: string; owner_id: number | null }>`
      SELECT id, phone_e164, owner_id FROM customers
      WHERE ${sql.scoped("customers")} AND phone_e164 IN ${phones}`;
    for (const row of rows) {
      found.set(row.phone_e164, {
        id: Number(row.id),
        phoneE164: row.phone_e164,
        ownerId: row.owner_id,
      } as ExistingCustomer);
    }
    return found;
  }
  const rows = await models.Customer.findAll({
    where: tenantWhere(importScope(ctx), models.Customer, { phoneE164: { [Op.in]: phones } }),
    attributes: [
      "id",
      "phoneE164",
      "ownerId",
      "name",
      "email",
      "whatsappE164",
      "consentAt",
      "birthDate",
      "anniversary",
    ],
    transaction,
  });
  for (const row of rows) {
    const customer = row.get({ plain: true }) as ExistingCustomer;
    found.set(customer.phoneE164, customer);
  }
  return found;
}

/** How many more customers the plan takes; the business row stays locked until commit. */
export async function roomFor(ctx: PlanContext, transaction: Transaction): Promise<number> {
  if (remaining(ctx.plan, "customers", 0) === Number.POSITIVE_INFINITY)
    return Number.POSITIVE_INFINITY;
  // The lock keeps two imports (or an import and the form) from both taking the last places.
  const lock = ctx.deps.sequelize.getDialect() === "mysql" ? "FOR UPDATE" : "";
  const sql = tenantSql(ctx.deps, importScope(ctx), transaction);
  const [row] = await sql.select<{ customer_count: number | string }>`
    SELECT customer_count FROM businesses WHERE ${sql.scoped("businesses")} ${sql.raw(lock)}`;
  return remaining(ctx.plan, "customers", Number(row?.customer_count ?? 0));
}

export interface BatchPlan {
  creates: NewCustomer[];
  updates: Array<{
    existing: ExistingCustomer;
    customer: PreparedCustomer;
    change: CustomerChange | null;
  }>;
  /** import_errors rows (business_id comes from the scope). */
  errors: SqlValue[][];
  counts: BatchCounts;
}

export function planBatch(
  ctx: PlanContext,
  batch: Batch,
  existing: Map<string, ExistingCustomer>,
  room: number,
): BatchPlan {
  const plan: BatchPlan = {
    creates: [],
    updates: [],
    errors: [],
    counts: { created: 0, updated: 0, skipped: 0, failed: 0 },
  };
  const error = (row: number, kind: string, values: string[], messages: string[]) =>
    plan.errors.push([ctx.importId, row, kind, JSON.stringify(values), JSON.stringify(messages)]);
  const limitMessage = `Not imported: your ${ctx.plan.name} plan's customer limit is reached.`;
  for (const row of batch.rows) {
    if (row.kind === "error") {
      error(row.rowNumber, row.errorKind, row.values, row.messages);
      if (row.errorKind === "invalid") plan.counts.failed++;
      else plan.counts.skipped++;
      continue;
    }
    const match = existing.get(row.create.phone);
    if (!match) {
      if (plan.creates.length < room) {
        plan.creates.push(row.create);
        plan.counts.created++;
      } else {
        error(row.rowNumber, "limit", (row.cells ?? []).map(cellText), [limitMessage]);
        plan.counts.failed++;
      }
    } else if (
      !row.update ||
      ctx.mode === "skip" ||
      (ctx.onlyOwnedBy !== null && match.ownerId !== ctx.onlyOwnedBy)
    ) {
      plan.counts.skipped++;
    } else {
      const { customer, raw } = row.update;
      const change = computeChange(match, customer, raw, ctx.update);
      plan.updates.push({ existing: match, customer, change });
      plan.counts.updated++;
    }
  }
  return plan;
}
