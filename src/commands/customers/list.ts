import type { Sequelize } from "sequelize";
import { selectRows, timeOf } from "../../db/connection";
import { sqlTime } from "../../db/sqlTime";
import type { Customer } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantSql, type SqlFragment, type TenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";
import { countCustomers, countSearch, searchOnly } from "./count";
import { isEmptyFilter, joined, planFilter, type CustomerFilter } from "./filter";

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

/*
 * When the page is read by walking the sort index (FORCE INDEX, pageRows). An unfiltered page
 * deep in the list must start its index range at the cursor: MariaDB, seeing business_id match
 * much of the table, picks a "ref" read from the tenant's first row instead (measured at 1M rows:
 * 100 ms by name, 2.3 s newest-first, at row 500,000; forced: ~1.5 ms). A dense search
 * (walkable) is walked too: at 4% of the customers ("sharm"), ~650 index entries give a page of
 * 25, where collecting the 42,000 matches of its branches and sorting them took ~10 ms at 1M
 * customers. The name index holds the searched columns, so the walk checks them on the index entry
 * (index condition pushdown) and reads only the rows it keeps (migration 20261201000100).
 */

export interface PageRequest {
  sort: CustomerSort;
  size: number;
  after?: string;
  before?: string;
}

/** A customer as the list reads it: plain values, no model instance (presenters take both). */
export type CustomerRow = Pick<
  Customer,
  | "id"
  | "name"
  | "nameKey"
  | "email"
  | "phoneE164"
  | "whatsappE164"
  | "consentAt"
  | "birthDate"
  | "anniversary"
  | "ownerId"
  | "createdAt"
  | "updatedAt"
>;

const rowAttributes = [
  "id",
  "name",
  "nameKey",
  "email",
  "phoneE164",
  "whatsappE164",
  "consentAt",
  "birthDate",
  "anniversary",
  "ownerId",
  "createdAt",
  "updatedAt",
] as const satisfies ReadonlyArray<keyof CustomerRow>;

/** A listed customer: its row and its tag names (read in the same statement). */
export type ListedCustomer = CustomerRow & { tags: string[] };

function rowOf(raw: Record<string, unknown>): ListedCustomer {
  const row = raw as unknown as ListedCustomer;
  const tagList = typeof raw.tagList === "string" ? raw.tagList : "";
  delete raw.tagList;
  row.tags = tagList ? tagList.split(",").sort() : [];
  row.id = Number(raw.id);
  // Times come as UTC text on both dialects (selectRows).
  row.createdAt = timeOf(raw.createdAt) as Date;
  row.updatedAt = timeOf(raw.updatedAt) as Date;
  row.consentAt = timeOf(raw.consentAt);
  row.ownerId = raw.ownerId === null || raw.ownerId === undefined ? null : Number(raw.ownerId);
  return row;
}

export interface CustomerPage {
  rows: ListedCustomer[];
  next: string | null;
  prev: string | null;
  total: number;
  /** True when there are more than `total` (the count stopped at countCap). */
  totalCapped: boolean;
}

type CursorValue = [string, number];

function encodeCursor(customer: CustomerRow, sort: CustomerSort): string {
  const { attribute } = sortColumns[sort.replace("-", "") as keyof typeof sortColumns];
  const value = customer[attribute];
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

/**
 * One page of customers (plain rows) with the filter's total. A search alone is counted first:
 * its count decides how the page is read (walkable). Other filters read the page first: when its
 * first page holds fewer rows than the page size, those are all, and nothing is counted.
 */
export async function listCustomers(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  page: PageRequest,
): Promise<CustomerPage> {
  const plan = await planFilter(deps, ctx, filter, "c");
  const after = decodeCursor(page.after);
  const before = after ? null : decodeCursor(page.before);
  const forward = !before;
  const cursor = after ?? before;
  const search = searchOnly(filter);
  const searched = search ? await countSearch(deps, ctx, search) : null;
  const walk = isEmptyFilter(filter) || (searched !== null && walkable(ctx, searched, page.size));
  const found = await pageRows(deps, ctx, plan.conditions, { page, cursor, forward, walk });
  const more = found.length > page.size;
  const counted =
    searched ??
    (!cursor && !more
      ? { total: found.length, totalCapped: false }
      : await countCustomers(deps, ctx, filter, plan));
  const rows = found.slice(0, page.size).map(rowOf);
  await completeLongTagLists(deps, ctx, rows);
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

interface PageRead {
  page: PageRequest;
  cursor: CursorValue | null;
  forward: boolean;
  /** Walk the sort index (FORCE INDEX on MySQL). */
  walk: boolean;
}

/**
 * A page of rows (one more than the page, to know whether there is a next) with their tag names,
 * in one written-out statement: the filter's checked conditions, the keyset range starting at the
 * cursor, the sort order, and the walk of the sort index when asked. Read straight from the pool
 * (selectRows): the query builder and sequelize.query cost more than the statement.
 */
async function pageRows(
  deps: Deps,
  ctx: TenantContext,
  conditions: SqlFragment[],
  read: PageRead,
): Promise<Array<Record<string, unknown>>> {
  const { page, cursor, forward, walk } = read;
  const { column, index } = sortColumns[page.sort.replace("-", "") as keyof typeof sortColumns];
  const descending = page.sort.startsWith("-") === forward;
  const sql = tenantSql(deps, ctx);
  const mysql = deps.sequelize.getDialect() === "mysql";
  const hint = sql.raw(mysql && walk ? `FORCE INDEX (${index})` : "");
  const names = sql.raw(mysql ? "GROUP_CONCAT(t.name SEPARATOR ',')" : "group_concat(t.name, ',')");
  const direction = descending ? "DESC" : "ASC";
  const order = sql.raw(`c.${column} ${direction}, c.id ${direction}`);
  const at = cursor && keysetValue(deps.sequelize, column, cursor[0]);
  const range =
    cursor && at !== null ? keysetRange(sql, column, descending, at, cursor[1]) : joined(sql, []);
  return selectRows(
    deps.sequelize,
    sql.text`
    SELECT ${sql.raw(rowColumns)}, (SELECT ${names} FROM customer_tags ct
      JOIN tags t ON t.id = ct.tag_id
      WHERE ${sql.scoped("ct")} AND ${sql.scoped("t")} AND ct.customer_id = c.id) AS tagList
    FROM customers c ${hint}
    WHERE ${sql.scoped("c")} AND ${joined(sql, conditions)} AND ${range}
    ORDER BY ${order} LIMIT ${page.size + 1}`,
  );
}

/** Rows strictly after (or before) the cursor in sort order, written so the index range starts there. */
function keysetRange(
  sql: TenantSql,
  column: string,
  descending: boolean,
  at: string,
  id: number,
): SqlFragment {
  const sorted = sql.raw(`c.${column}`);
  const [wide, strict] = descending ? ["<=", "<"] : [">=", ">"];
  return sql.fragment`${sorted} ${sql.raw(wide)} ${at}
    AND (${sorted} ${sql.raw(strict)} ${at} OR c.id ${sql.raw(strict)} ${id})`;
}

/** The row columns under their attribute names (rowOf reads those). */
const rowColumns = rowAttributes
  .map((attribute) => {
    const column = attribute.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return column === attribute ? `c.${column}` : `c.${column} AS ${attribute}`;
  })
  .join(", ");

/** A cursor's sort value as SQL compares it: names as they are, times as text; null if mangled. */
function keysetValue(sequelize: Sequelize, column: string, value: string): string | null {
  if (column === "name_key") return value;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : sqlTime(sequelize, time);
}

/** MySQL cuts GROUP_CONCAT at group_concat_max_len (1,024 bytes by default; MariaDB: 1 MB). */
const concatLimit = 1024;

async function completeLongTagLists(deps: Deps, ctx: TenantContext, rows: ListedCustomer[]) {
  const long = rows.filter((r) => r.tags.join(",").length >= concatLimit - 100);
  if (long.length === 0) return;
  const full = await tagsByCustomer(
    deps,
    ctx,
    long.map((r) => r.id),
  );
  for (const row of long) row.tags = full.get(row.id) ?? row.tags;
}

/** Index entries a search may walk through to fill a page, at most (see walkable). */
const walkBudget = 10_000;

/**
 * Whether a search is read by walking the sort index: when its matches are dense enough that a
 * page is found within walkBudget entries (page size × customers ÷ matches), each checked on the
 * index entry itself. Sparser searches collect their matches from the searched columns' indexes
 * and sort those (at most countCap of them, or few more).
 */
function walkable(
  ctx: TenantContext,
  counted: { total: number; totalCapped: boolean },
  size: number,
): boolean {
  if (counted.total === 0) return false;
  const matches = counted.totalCapped ? counted.total + 1 : counted.total;
  return counted.totalCapped || (size * ctx.business.customerCount) / matches <= walkBudget;
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
  const rows = await selectRows<{ customer_id: number; name: string }>(
    deps.sequelize,
    sql.text`
    SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ${sql.scoped("ct")} AND ${sql.scoped("t")} AND ct.customer_id IN ${customerIds}
    ORDER BY t.name`,
  );
  for (const row of rows) byCustomer.get(Number(row.customer_id))?.push(row.name);
  return byCustomer;
}
