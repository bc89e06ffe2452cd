import type { Sequelize } from "sequelize";
import { selectRows, timeOf } from "../../db/connection";
import { sqlTime } from "../../db/sqlTime";
import type { Customer } from "../../models";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { tenantSql, type SqlFragment, type TenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";
import {
  branchSql,
  isEmptyFilter,
  joined,
  planFilter,
  searchBranches,
  sizedTags,
  type CustomerFilter,
  type FilterPlan,
} from "./filter";

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

/** Counting past this many filtered rows costs more than the number is worth to a person. */
export const countCap = 1000;

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

/** The search terms when the filter is a search and nothing else: counted branch by branch. */
function searchOnly(filter: CustomerFilter): string | null {
  return filter.q && Object.keys(filter).every((key) => key === "q") ? filter.q : null;
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

function capped(n: number): { total: number; totalCapped: boolean } {
  return { total: Math.min(n, countCap), totalCapped: n > countCap };
}

/**
 * The unfiltered total comes from the business row (kept by every write); a filtered one is
 * counted in SQL up to countCap: a search alone branch by branch, tags alone on the tag index
 * (from the sizes the filter already looked up, for one tag), anything else on the filtered
 * customers.
 */
export async function countCustomers(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  plan?: FilterPlan,
): Promise<{ total: number; totalCapped: boolean }> {
  if (isEmptyFilter(filter) && !restrictedToOwnRecords(ctx)) {
    // ctx.business was read at the start of this request.
    return { total: ctx.business.customerCount, totalCapped: false };
  }
  const search = searchOnly(filter);
  if (search) return countSearch(deps, ctx, search);
  const onlyTags = Object.keys(filter).every((key) => key === "tags" || key === "tagMode");
  if (onlyTags && filter.tags?.length && !restrictedToOwnRecords(ctx)) {
    const tags = plan?.tags ?? (await sizedTags(deps, ctx, { names: filter.tags }));
    const all = filter.tagMode === "all";
    if (tags.ids.length === 0 || (all && tags.ids.length < filter.tags.length)) return capped(0);
    // One tag: its size is exact below the threshold, and above it beyond the cap anyway.
    if (tags.ids.length === 1 && tags.threshold > countCap) return capped(tags.sizes[0] ?? 0);
    return capped(await countTagged(deps, ctx, tags.ids, all));
  }
  const sql = tenantSql(deps, ctx);
  const { conditions } = plan ?? (await planFilter(deps, ctx, filter, "c"));
  return capped(
    await countOf(
      deps,
      sql.text`SELECT COUNT(*) AS n FROM (SELECT c.id FROM customers c
        WHERE ${sql.scoped("c")} AND ${joined(sql, conditions)} LIMIT ${countCap + 1}) AS capped`,
    ),
  );
}

/** The `n` of a counting statement. */
async function countOf(deps: Deps, statement: string): Promise<number> {
  const [row] = await selectRows<{ n: number | string }>(deps.sequelize, statement);
  return Number(row?.n ?? 0);
}

/**
 * A search counted up to countCap: each branch (name, surname, e-mail; or the phone forms) stops
 * at countCap + 1 ids on its own index, and the union of those ids is counted. Exact below the
 * cap, and past it as soon as one branch is. One `OR` over the branches made MariaDB collect every
 * match of every branch before stopping (17 ms for "sharm" at 1M customers).
 */
async function countSearch(
  deps: Deps,
  ctx: TenantContext,
  q: string,
): Promise<{ total: number; totalCapped: boolean }> {
  const sql = tenantSql(deps, ctx);
  const [a, b, c] = searchBranches(q).map(
    (branch) => sql.fragment`SELECT c.id FROM customers c
      WHERE ${sql.scoped("c")} AND ${branchSql(deps, sql, "c", branch)} LIMIT ${countCap + 1}`,
  );
  if (!a) return capped(0);
  // A branch past the cap settles it (CASE stops at the first): only a search matching fewer
  // than countCap customers each way pays for uniting the branches' ids.
  const statement = c
    ? sql.text`
        SELECT CASE
          WHEN (SELECT COUNT(*) FROM ${a} AS a1) > ${countCap} THEN ${countCap + 1}
          WHEN (SELECT COUNT(*) FROM ${b!} AS b1) > ${countCap} THEN ${countCap + 1}
          WHEN (SELECT COUNT(*) FROM ${c} AS c1) > ${countCap} THEN ${countCap + 1}
          ELSE (SELECT COUNT(*) FROM (SELECT id FROM ${a} AS a UNION SELECT id FROM ${b!} AS b
            UNION SELECT id FROM ${c} AS c) AS matched)
        END AS n`
    : b
      ? sql.text`
          SELECT CASE
            WHEN (SELECT COUNT(*) FROM ${a} AS a1) > ${countCap} THEN ${countCap + 1}
            WHEN (SELECT COUNT(*) FROM ${b} AS b1) > ${countCap} THEN ${countCap + 1}
            ELSE (SELECT COUNT(*) FROM (SELECT id FROM ${a} AS a UNION SELECT id FROM ${b} AS b)
              AS matched)
          END AS n`
      : sql.text`SELECT COUNT(*) AS n FROM ${a} AS matched`;
  return capped(await countOf(deps, statement));
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

/** A tags-only filter is counted on the tag index alone, without touching customers. */
async function countTagged(
  deps: Deps,
  ctx: TenantContext,
  ids: number[],
  all: boolean,
): Promise<number> {
  const sql = tenantSql(deps, ctx);
  return countOf(
    deps,
    ids.length === 1
      ? sql.text`
          SELECT COUNT(*) AS n FROM (SELECT customer_id FROM customer_tags ct
            WHERE ${sql.scoped("ct")} AND tag_id = ${ids[0] as number}
            LIMIT ${countCap + 1}) AS capped`
      : sql.text`
          SELECT COUNT(*) AS n FROM (SELECT customer_id FROM customer_tags ct
            WHERE ${sql.scoped("ct")} AND tag_id IN ${ids} GROUP BY customer_id
            ${sql.raw(all ? `HAVING COUNT(*) = ${ids.length}` : "")}
            LIMIT ${countCap + 1}) AS capped`,
  );
}
