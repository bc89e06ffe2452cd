import {
  IndexHints,
  Op,
  type Order,
  type Sequelize,
  type Utils,
  type WhereOptions,
} from "sequelize";
import { fromSqlTime, sqlTime } from "../../db/sqlTime";
import type { Customer } from "../../models";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { Deps } from "../../deps";
import {
  isEmptyFilter,
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

/**
 * When the page is read by walking the sort index. An unfiltered page deep in the list must start
 * its index range at the cursor: MariaDB, seeing business_id match much of the table, picks a
 * "ref" read from the tenant's first row instead (measured at 1M rows: 100 ms by name, 2.3 s
 * newest-first, at row 500,000; forced: ~1.5 ms). A dense search (walkable) is walked too: at 4%
 * of the customers ("sharm"), ~650 index entries give a page of 25, where collecting the 42,000
 * matches of its branches and sorting them took ~10 ms at 1M customers. The name index holds the
 * searched columns, so the walk checks them on the index entry (index condition pushdown) and
 * reads only the rows it keeps (migration 20261201000100).
 */
function sortIndexHint(deps: Deps, sort: CustomerSort, walk: boolean) {
  if (deps.sequelize.getDialect() !== "mysql" || !walk) return {};
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
  // mysql2 gives Dates; SQLite gives the stored text.
  row.createdAt = fromSqlTime(raw.createdAt) as Date;
  row.updatedAt = fromSqlTime(raw.updatedAt) as Date;
  row.consentAt = fromSqlTime(raw.consentAt);
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

/** The search terms when the filter is a search and nothing else: counted branch by branch. */
function searchOnly(filter: CustomerFilter): string | null {
  return filter.q && Object.keys(filter).every((key) => key === "q") ? filter.q : null;
}

/**
 * One page of customers (plain rows) with the filter's total. A search alone is counted first:
 * its count decides how the page is read (see sortIndexHint).
 */
export async function listCustomers(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  page: PageRequest,
): Promise<CustomerPage> {
  const plan = await planFilter(deps, ctx, filter);
  const base = tenantWhere(ctx, deps.models.Customer, plan.conditions);
  const after = decodeCursor(page.after);
  const before = after ? null : decodeCursor(page.before);
  const forward = !before;
  const cursor = after ?? before;
  const where: WhereOptions = cursor
    ? { [Op.and]: [base, keysetCondition(page.sort, cursor, forward)] }
    : base;
  const search = searchOnly(filter);
  const searched = search ? await countSearch(deps, ctx, search) : null;
  const walk = isEmptyFilter(filter) || (searched !== null && walkable(ctx, searched, page.size));
  const unfiltered = Object.getOwnPropertySymbols(plan.conditions).length === 0;
  const [found, counted] = await Promise.all([
    unfiltered
      ? unfilteredRows(deps, ctx, page, cursor, forward)
      : deps.models.Customer.findAll({
          attributes: [...rowAttributes, tagListAttribute(deps, ctx)],
          where,
          order: orderFor(page.sort, forward),
          limit: page.size + 1,
          // Plain rows: building model instances was a third of the page's CPU.
          raw: true,
          ...sortIndexHint(deps, page.sort, walk),
        }),
    searched ?? countCustomers(deps, ctx, filter, plan),
  ]);
  const more = found.length > page.size;
  const rows = found.slice(0, page.size).map((r) => rowOf(r as unknown as Record<string, unknown>));
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

/**
 * The unfiltered list — the page opened most — written out in SQL: the query builder cost more
 * than the statement. The same rows, order, keyset range and sort-index walk as the builder's.
 */
async function unfilteredRows(
  deps: Deps,
  ctx: TenantContext,
  page: PageRequest,
  cursor: CursorValue | null,
  forward: boolean,
): Promise<object[]> {
  const { column, index } = sortColumns[page.sort.replace("-", "") as keyof typeof sortColumns];
  const descending = page.sort.startsWith("-") === forward;
  const sql = tenantSql(deps, ctx);
  const mysql = deps.sequelize.getDialect() === "mysql";
  const hint = sql.raw(mysql ? `FORCE INDEX (${index})` : "");
  const names = sql.raw(mysql ? "GROUP_CONCAT(t.name SEPARATOR ',')" : "group_concat(t.name, ',')");
  const direction = descending ? "DESC" : "ASC";
  const order = sql.raw(`c.${column} ${direction}, c.id ${direction}`);
  const limit = page.size + 1;
  const at = cursor && keysetValue(deps.sequelize, column, cursor[0]);
  if (!cursor || at === null)
    return sql.select`
      SELECT ${sql.raw(rowColumns)}, (SELECT ${names} FROM customer_tags ct
        JOIN tags t ON t.id = ct.tag_id
        WHERE ${sql.scoped("ct")} AND ${sql.scoped("t")} AND ct.customer_id = c.id) AS tagList
      FROM customers c ${hint}
      WHERE ${sql.scoped("c")}
      ORDER BY ${order} LIMIT ${limit}`;
  const [wide, strict] = descending ? ["<=", "<"] : [">=", ">"];
  const sorted = sql.raw(`c.${column}`);
  return sql.select`
    SELECT ${sql.raw(rowColumns)}, (SELECT ${names} FROM customer_tags ct
      JOIN tags t ON t.id = ct.tag_id
      WHERE ${sql.scoped("ct")} AND ${sql.scoped("t")} AND ct.customer_id = c.id) AS tagList
    FROM customers c ${hint}
    WHERE ${sql.scoped("c")} AND ${sorted} ${sql.raw(wide)} ${at}
      AND (${sorted} ${sql.raw(strict)} ${at} OR c.id ${sql.raw(strict)} ${cursor[1]})
    ORDER BY ${order} LIMIT ${limit}`;
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

/**
 * Each row's tag names, comma-separated, as a correlated subquery of the page's own statement
 * (tag names never hold a comma: input.ts splits on them): one statement fewer on every list page.
 */
function tagListAttribute(deps: Deps, ctx: TenantContext): [Utils.Literal, string] {
  const sql = tenantSql(deps, ctx);
  const names =
    deps.sequelize.getDialect() === "mysql"
      ? sql.raw("GROUP_CONCAT(t.name SEPARATOR ',')")
      : sql.raw("group_concat(t.name, ',')");
  const text = sql.text`(SELECT ${names} FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
    WHERE ${sql.scoped("ct")} AND ${sql.scoped("t")} AND ct.customer_id = \`Customer\`.\`id\`)`;
  return [deps.sequelize.literal(text), "tagList"];
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
  const inner = sql.modelSelect(deps.models.Customer, {
    attributes: ["id"],
    where: (plan ?? (await planFilter(deps, ctx, filter))).conditions,
    limit: countCap + 1,
  });
  const [row] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM ${inner} AS capped`;
  return capped(Number(row?.n ?? 0));
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
  const [a, b, c] = searchBranches(deps.sequelize, q).map((branch) =>
    sql.modelSelect(deps.models.Customer, {
      attributes: ["id"],
      where: { [Op.and]: [branch] },
      limit: countCap + 1,
    }),
  );
  if (!a) return capped(0);
  // A branch past the cap settles it (CASE stops at the first): only a search matching fewer
  // than countCap customers each way pays for uniting the branches' ids.
  const [row] = c
    ? await sql.select<{ n: number | string }>`
        SELECT CASE
          WHEN (SELECT COUNT(*) FROM ${a} AS a1) > ${countCap} THEN ${countCap + 1}
          WHEN (SELECT COUNT(*) FROM ${b!} AS b1) > ${countCap} THEN ${countCap + 1}
          WHEN (SELECT COUNT(*) FROM ${c} AS c1) > ${countCap} THEN ${countCap + 1}
          ELSE (SELECT COUNT(*) FROM (SELECT id FROM ${a} AS a UNION SELECT id FROM ${b!} AS b
            UNION SELECT id FROM ${c} AS c) AS matched)
        END AS n`
    : b
      ? await sql.select<{ n: number | string }>`
          SELECT CASE
            WHEN (SELECT COUNT(*) FROM ${a} AS a1) > ${countCap} THEN ${countCap + 1}
            WHEN (SELECT COUNT(*) FROM ${b} AS b1) > ${countCap} THEN ${countCap + 1}
            ELSE (SELECT COUNT(*) FROM (SELECT id FROM ${a} AS a UNION SELECT id FROM ${b} AS b)
              AS matched)
          END AS n`
      : await sql.select<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${a} AS matched`;
  return capped(Number(row?.n ?? 0));
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
  ids: number[],
  all: boolean,
): Promise<number> {
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
