import { IndexHints, Op, type Order, type WhereOptions } from "sequelize";
import type { Customer } from "../../models";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";
import { filterConditions, isEmptyFilter, type CustomerFilter } from "./filter";

/**
 * Customer pages by keyset ("after this row"), so page 40,000 costs what page 1 costs. The
 * cursor is opaque to clients: base64url of [sort value, id].
 */
export const customerSorts = [
  "name",
  "-name",
  "created",
  "-created",
  "updated",
  "-updated",
] as const;
export type CustomerSort = (typeof customerSorts)[number];
export const pageSizes = [10, 25, 50, 100] as const;

const sortColumns = {
  name: { attribute: "nameKey", column: "name_key", index: "customers_business_name" },
  created: { attribute: "createdAt", column: "created_at", index: "customers_business_created" },
  updated: { attribute: "updatedAt", column: "updated_at", index: "customers_business_updated" },
} as const;

/**
 * An unfiltered page deep in the list must start its index range at the cursor. MariaDB, seeing
 * business_id match much of the table, picks a "ref" read from the tenant's first row instead
 * (measured at 1M rows: 100 ms by name, 2.3 s newest-first, at row 500,000; forced: ~1.5 ms).
 */
function sortIndexHint(deps: Deps, sort: CustomerSort, filter: CustomerFilter) {
  if (deps.sequelize.getDialect() !== "mysql" || !isEmptyFilter(filter)) return {};
  const { index } = sortColumns[sort.replace("-", "") as keyof typeof sortColumns];
  return { indexHints: [{ type: IndexHints.FORCE, values: [index] }] };
}

/** Counting past this many filtered rows costs more than the number is worth to a person. */
export const countCap = 1000;

export interface PageRequest {
  sort: CustomerSort;
  size: number;
  after?: string;
  before?: string;
}

export interface CustomerPage {
  rows: Customer[];
  next: string | null;
  prev: string | null;
  total: number;
  /** True when there are more than `total` (the count stopped at countCap). */
  totalCapped: boolean;
}

type CursorValue = [string, number];

function encodeCursor(customer: Customer, sort: CustomerSort): string {
  const { attribute } = sortColumns[sort.replace("-", "") as keyof typeof sortColumns];
  const value = customer.get(attribute) as string | Date;
  const plain = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([plain, customer.id])).toString("base64url");
}

function decodeCursor(cursor: string | undefined): CursorValue | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "string" && Number.isSafeInteger(value[1]))
      return value as CursorValue;
  } catch {
    // A mangled cursor simply starts from the first page.
  }
  return null;
}

/** Rows strictly after (or before) the cursor in sort order, written so the index range starts there. */
function keysetCondition(sort: CustomerSort, cursor: CursorValue, forward: boolean) {
  const { attribute } = sortColumns[sort.replace("-", "") as keyof typeof sortColumns];
  const descending = sort.startsWith("-") === forward;
  const value = attribute === "nameKey" ? cursor[0] : new Date(cursor[0]);
  const [wide, strict, idOp] = descending ? [Op.lte, Op.lt, Op.lt] : [Op.gte, Op.gt, Op.gt];
  return {
    [Op.and]: [
      { [attribute]: { [wide]: value } },
      { [Op.or]: [{ [attribute]: { [strict]: value } }, { id: { [idOp]: cursor[1] } }] },
    ],
  };
}

function orderFor(sort: CustomerSort, forward: boolean): Order {
  const { attribute } = sortColumns[sort.replace("-", "") as keyof typeof sortColumns];
  const descending = sort.startsWith("-") === forward;
  const direction = descending ? "DESC" : "ASC";
  return [
    [attribute, direction],
    ["id", direction],
  ];
}

export async function listCustomers(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  page: PageRequest,
): Promise<CustomerPage> {
  const conditions = await filterConditions(deps, ctx, filter);
  const base = tenantWhere(ctx, deps.models.Customer, conditions);
  const after = decodeCursor(page.after);
  const before = after ? null : decodeCursor(page.before);
  const forward = !before;
  const cursor = after ?? before;
  const where: WhereOptions = cursor
    ? { [Op.and]: [base, keysetCondition(page.sort, cursor, forward)] }
    : base;
  const [found, counted] = await Promise.all([
    deps.models.Customer.findAll({
      where,
      order: orderFor(page.sort, forward),
      limit: page.size + 1,
      ...sortIndexHint(deps, page.sort, filter),
    }),
    countCustomers(deps, ctx, filter, conditions),
  ]);
  const more = found.length > page.size;
  const rows = found.slice(0, page.size);
  if (!forward) rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    next: last && (forward ? more : true) ? encodeCursor(last, page.sort) : null,
    prev: first && (forward ? cursor !== null : more) ? encodeCursor(first, page.sort) : null,
    ...counted,
  };
}

/**
 * The unfiltered total comes from the business row (kept by every write); a filtered one is
 * counted in SQL up to countCap.
 */
export async function countCustomers(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  conditions?: Record<string | symbol, unknown>,
): Promise<{ total: number; totalCapped: boolean }> {
  if (isEmptyFilter(filter) && !restrictedToOwnRecords(ctx)) {
    // ctx.business was read at the start of this request.
    return { total: ctx.business.customerCount, totalCapped: false };
  }
  const onlyTags = Object.keys(filter).every((key) => key === "tags" || key === "tagMode");
  if (onlyTags && filter.tags?.length && !restrictedToOwnRecords(ctx)) {
    const counted = await countTagged(deps, ctx, filter.tags, filter.tagMode === "all");
    return { total: Math.min(counted, countCap), totalCapped: counted > countCap };
  }
  const sql = tenantSql(deps, ctx);
  const inner = sql.modelSelect(deps.models.Customer, {
    attributes: ["id"],
    where: conditions ?? (await filterConditions(deps, ctx, filter)),
    limit: countCap + 1,
  });
  const [row] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM ${inner} AS capped`;
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, countCap), totalCapped: n > countCap };
}

/** Tag names of each customer, for a page of rows (one query). */
export async function tagsByCustomer(
  deps: Deps,
  ctx: TenantContext,
  customerIds: number[],
): Promise<Map<number, string[]>> {
  const byCustomer = new Map<number, string[]>(customerIds.map((id) => [id, []]));
  if (customerIds.length === 0) return byCustomer;
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ customer_id: number; name: string }>`
    SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ${sql.scoped("ct")} AND ${sql.scoped("t")} AND ct.customer_id IN ${customerIds}
    ORDER BY t.name`;
  for (const row of rows) byCustomer.get(Number(row.customer_id))?.push(row.name);
  return byCustomer;
}

/** A tags-only filter is counted on the tag index alone, without touching customers. */
async function countTagged(
  deps: Deps,
  ctx: TenantContext,
  names: string[],
  all: boolean,
): Promise<number> {
  const tags = await deps.models.Tag.findAll({
    where: tenantWhere(ctx, deps.models.Tag, { name: { [Op.in]: names } }),
    attributes: ["id"],
  });
  if (tags.length === 0 || (all && tags.length < names.length)) return 0;
  const ids = tags.map((t) => t.id);
  const sql = tenantSql(deps, ctx);
  const [row] =
    ids.length === 1
      ? await sql.select<{ n: number | string }>`
          SELECT COUNT(*) AS n FROM (SELECT customer_id FROM customer_tags ct
            WHERE ${sql.scoped("ct")} AND tag_id = ${ids[0] as number}
            LIMIT ${countCap + 1}) AS capped`
      : await sql.select<{ n: number | string }>`
          SELECT COUNT(*) AS n FROM (SELECT customer_id FROM customer_tags ct
            WHERE ${sql.scoped("ct")} AND tag_id IN ${ids} GROUP BY customer_id
            ${sql.raw(all ? `HAVING COUNT(*) = ${ids.length}` : "")}
            LIMIT ${countCap + 1}) AS capped`;
  return Number(row?.n ?? 0);
}
