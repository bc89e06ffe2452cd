import { Op, type Sequelize, type Utils, type WhereOptions } from "sequelize";
import { z } from "zod";
import { addDays, parseIsoDate, upcomingMonthDays, localDate, zonedTime } from "../../lib/dates";
import { idField } from "../../lib/ids";
import { phoneDigits } from "../../lib/phone";
import type { Models } from "../../models";
import type { Clock } from "../../lib/clock";
import type { TenantContext } from "../../tenancy/context";
import { selectRows } from "../../db/connection";
import { sqlTime } from "../../db/sqlTime";
import { scopeOf, tenantWhere, type Scoped } from "../../tenancy/scope";
import { tenantSql, type SqlFragment, type TenantSql } from "../../tenancy/sql";
import { normaliseTags } from "./input";

/**
 * One customer filter for the list, bulk actions, segments, export and the API. It is plain JSON
 * (segments store it), and it becomes one WHERE clause served by the customers indexes.
 */
export interface CustomerFilter {
  q?: string;
  tags?: string[];
  tagMode?: "any" | "all";
  createdFrom?: string;
  createdTo?: string;
  /** Birthday or anniversary within this many days from today (the year ignored). */
  upcomingDays?: number;
  ownerId?: number;
}

/** Tabs, line breaks, NUL and the other C0/C1 controls: never part of a name, e-mail or phone. */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const dateField = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((v) => parseIsoDate(v) !== null, { error: `Enter the ${label} date as YYYY-MM-DD.` })
      .optional(),
  );

export const customerFilterSchema = z
  .object({
    q: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .max(100, { error: "Search for at most 100 characters." })
        .refine((q) => !controlCharacters.test(q), {
          error: "Search for letters, digits and punctuation only (no control characters).",
        })
        .optional(),
    ),
    tags: z.preprocess(
      (v) => (v === undefined || v === "" ? undefined : normaliseTags(v)),
      z.array(z.string()).max(20, { error: "Filter by at most 20 tags." }).optional(),
    ),
    tagMode: z.preprocess(blankToUndefined, z.enum(["any", "all"]).optional()),
    createdFrom: dateField("from"),
    createdTo: dateField("to"),
    upcomingDays: z.preprocess(
      blankToUndefined,
      z.coerce
        .number()
        .int()
        .min(0, { error: "Use 0 to 366 days." })
        .max(366, { error: "Use 0 to 366 days." })
        .optional(),
    ),
    ownerId: z.preprocess(blankToUndefined, idField("Choose a team member.").optional()),
  })
  .transform((filter): CustomerFilter => {
    const clean: CustomerFilter = {};
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined && !(Array.isArray(value) && value.length === 0))
        (clean as Record<string, unknown>)[key] = value;
    }
    if (clean.q === "") delete clean.q;
    return clean;
  });

export function isEmptyFilter(filter: CustomerFilter): boolean {
  return Object.keys(filter).filter((k) => k !== "tagMode").length === 0;
}

/** One way a search matches: a prefix of one column, served by that column's index. */
export interface SearchBranch {
  column: "name_key" | "name_tail" | "name_turned" | "email" | PhoneColumn;
  prefix: string;
}

type PhoneColumn = "phone_e164" | "phone_national" | "phone_reversed";

/**
 * The search box: phone digits in any format ("098765 43210", "+91 98765…", the last digits), an
 * e-mail, or the start of a name: of the whole name, of the words after the first ("kumar shah"),
 * or of the name with its last word first ("shah suresh" finds Suresh Shah: name_turned, see
 * migration 20261202000100). Digits from the middle of a number are not searched: no index can
 * serve them (measured at 1M customers: 0.5–1.9 s a search). Each branch is one index range, so a
 * search is counted branch by branch (list.ts) and never needs more than three.
 */
export function searchBranches(q: string): SearchBranch[] {
  const digits = phoneDigits(q);
  if (digits.length >= 3 && /^[\d\s()+.\-/]+$/.test(q)) {
    const national = digits.replace(/^0+/, "");
    const branches: SearchBranch[] = [{ column: "phone_e164", prefix: `+${digits}` }];
    if (national) branches.push({ column: "phone_national", prefix: national });
    if (digits.length >= 4)
      branches.push({ column: "phone_reversed", prefix: [...digits].reverse().join("") });
    return branches;
  }
  const key = q.toLowerCase().replace(/\s+/g, " ");
  if (key.includes("@")) return [{ column: "email", prefix: key }];
  // An e-mail holds no space; a name typed surname first does.
  const third: SearchBranch["column"] = key.includes(" ") ? "name_turned" : "email";
  return [
    { column: "name_key", prefix: key },
    { column: "name_tail", prefix: key },
    { column: third, prefix: key },
  ];
}

/**
 * `column LIKE 'prefix%'`, the user's own % and _ taken literally on both dialects; the text is a
 * value of the statement (tenantSql renders it), never spliced in by hand.
 */
function startsWith(sql: TenantSql, column: string, prefix: string): SqlFragment {
  const escaped = prefix.replace(/[!%_]/g, (c) => `!${c}`);
  return sql.fragment`${sql.raw(column)} LIKE ${`${escaped}%`} ESCAPE '!'`;
}

/**
 * The name with its last word first, on SQLite: the expression MariaDB keeps in its indexed
 * virtual column name_turned (migration 20261202000100). rtrim(x, <every character of x but the
 * space>) leaves x up to its last space, so what follows is the last word.
 */
function sqliteNameTurned(alias: string): string {
  const key = `${alias}.name_key`;
  const head = `rtrim(${key}, replace(${key}, ' ', ''))`;
  return `(CASE WHEN instr(${key}, ' ') = 0 THEN ''
    ELSE substr(${key}, length(${head}) + 1) || ' ' || rtrim(${head}, ' ') END)`;
}

/** A branch's condition on the customers aliased `alias`. */
export function branchSql(
  deps: { sequelize: Sequelize },
  sql: TenantSql,
  alias: string,
  branch: SearchBranch,
): SqlFragment {
  const column =
    branch.column === "name_turned" && deps.sequelize.getDialect() !== "mysql"
      ? sqliteNameTurned(alias)
      : `${alias}.${branch.column}`;
  return startsWith(sql, column, branch.prefix);
}

/** Fragments joined with AND (or OR); "1 = 1" for none, so a statement keeps one shape. */
export function joined(sql: TenantSql, parts: SqlFragment[], operator: "AND" | "OR" = "AND") {
  const [first, ...rest] = parts;
  if (!first) return sql.fragment`1 = 1`;
  return rest.reduce(
    (all, part) =>
      operator === "AND" ? sql.fragment`${all} AND ${part}` : sql.fragment`${all} OR ${part}`,
    first,
  );
}

/** Below this many tagged customers, collecting them first and sorting is the cheap plan. */
const smallTag = 2000;

/** Tags with how many customers carry each, counted no further than a threshold. */
export interface TagSizes {
  ids: number[];
  sizes: number[];
  threshold: number;
}

/**
 * The tags named (or with these ids) and their sizes, in one statement: a tag whose
 * `threshold`-th customer exists (one index dive: LIMIT 1 OFFSET) counts as `threshold`; the
 * others are counted on the (business_id, tag_id, customer_id) index, under `threshold` entries
 * each. Unknown names are simply missing.
 */
export async function sizedTags(
  deps: { sequelize: Sequelize },
  scoped: Scoped,
  by: { names?: string[]; ids?: number[] },
  threshold = smallTag,
): Promise<TagSizes> {
  // Tags have no owner: the customers' own scope (sales) applies to the outer query.
  const sql = tenantSql(deps, scopeOf(scoped, { wholeBusiness: true }));
  const rows = await selectRows<{ id: number; size: number | string }>(
    deps.sequelize,
    sql.text`
    SELECT t.id, CASE
      WHEN (SELECT ct.customer_id FROM customer_tags ct WHERE ${sql.scoped("ct")}
            AND ct.tag_id = t.id ORDER BY ct.customer_id LIMIT 1 OFFSET ${threshold - 1}) IS NULL
      THEN (SELECT COUNT(*) FROM customer_tags c2 WHERE ${sql.scoped("c2")} AND c2.tag_id = t.id)
      ELSE ${threshold} END AS size
    FROM tags t
    WHERE ${sql.scoped("t")} AND (t.name IN ${by.names ?? []} OR t.id IN ${by.ids ?? []})`,
  );
  return {
    ids: rows.map((r) => Number(r.id)),
    sizes: rows.map((r) => Number(r.size)),
    threshold,
  };
}

/**
 * The tag condition on the customers aliased `alias`, shaped for the optimizer. A rare tag:
 * collect its customers (a semi-join over a few thousand rows) and sort those. A common tag: walk
 * the list's sort index and check each row with a primary-key lookup — a correlated subquery
 * with LIMIT, which MariaDB cannot turn into a semi-join that would materialise 100,000 ids
 * (measured: 1.4 s → a few ms at 1M customers).
 */
export function tagSql(
  deps: { sequelize: Sequelize },
  scoped: Scoped,
  alias: string,
  sized: TagSizes,
  all: boolean,
): SqlFragment {
  const { ids, sizes } = sized;
  const sql = tenantSql(deps, scopeOf(scoped, { wholeBusiness: true }));
  const id = sql.raw(`${alias}.id`);
  const smallest = Math.min(...sizes);
  const rarest = ids[sizes.indexOf(smallest)]!;
  const perRow = all
    ? sql.fragment`(SELECT COUNT(*) FROM customer_tags ct WHERE ${sql.scoped("ct")}
         AND ct.customer_id = ${id} AND ct.tag_id IN ${ids}) = ${ids.length}`
    : sql.fragment`(SELECT 1 FROM customer_tags ct WHERE ${sql.scoped("ct")}
         AND ct.customer_id = ${id} AND ct.tag_id IN ${ids} LIMIT 1) IS NOT NULL`;
  const rare = all
    ? smallest < sized.threshold
    : sizes.reduce((a, b) => a + b, 0) < sized.threshold;
  if (!rare) return perRow;
  const collected = sql.fragment`${id} IN (SELECT customer_id FROM customer_tags ct
     WHERE ${sql.scoped("ct")} AND tag_id IN ${all ? [rarest] : ids})`;
  return all && ids.length > 1 ? sql.fragment`${collected} AND ${perRow}` : collected;
}

/** tagSql for model queries on customers (Sequelize's alias `Customer`), as a literal. */
export async function tagCondition(
  deps: { sequelize: Sequelize },
  scoped: Scoped,
  ids: number[],
  all: boolean,
  threshold = smallTag,
  known?: TagSizes,
): Promise<Utils.Literal> {
  const sized = known ?? (await sizedTags(deps, scoped, { ids }, threshold));
  return deps.sequelize.literal(`(${tagSql(deps, scoped, modelAlias, sized, all).text})`);
}

/** How Sequelize names the customers table in a model query's FROM. */
const modelAlias = "`Customer`";

/** What building a filter's conditions learned, for counting them without asking again. */
export interface FilterPlan {
  /** The filter's conditions on the customers aliased as asked, checked; empty when unfiltered. */
  conditions: SqlFragment[];
  /** The filter's tags and their sizes, when it has tags. */
  tags?: TagSizes;
}

/**
 * The filter's conditions on the customers aliased `alias` (list statements use `c`), without
 * the scope (statements apply it: `${sql.scoped("c")}`, tenantWhere), and the tag sizes it looked
 * up on the way (one statement when the filter has tags, none otherwise). Every value typed by a
 * person is a value of the statement.
 */
export async function planFilter(
  deps: { sequelize: Sequelize; clock: Clock },
  ctx: TenantContext,
  filter: CustomerFilter,
  alias = "c",
): Promise<FilterPlan> {
  const { sequelize } = deps;
  const sql = tenantSql(deps, ctx);
  const column = (name: string) => sql.raw(`${alias}.${name}`);
  const and: SqlFragment[] = [];
  const zone = ctx.business.timeZone;
  let tags: TagSizes | undefined;
  if (filter.q) {
    const branches = searchBranches(filter.q).map((b) => branchSql(deps, sql, alias, b));
    and.push(joined(sql, branches, "OR"));
  }
  if (filter.tags?.length) {
    tags = await sizedTags(deps, ctx, { names: filter.tags });
    const all = filter.tagMode === "all";
    if (tags.ids.length === 0 || (all && tags.ids.length < filter.tags.length))
      and.push(sql.fragment`1 = 0`);
    else and.push(tagSql(deps, ctx, alias, tags, all));
  }
  if (filter.createdFrom) {
    const from = sqlTime(sequelize, zonedTime(filter.createdFrom, midnight, zone));
    and.push(sql.fragment`${column("created_at")} >= ${from}`);
  }
  if (filter.createdTo) {
    const to = sqlTime(sequelize, zonedTime(addDays(filter.createdTo, 1), midnight, zone));
    and.push(sql.fragment`${column("created_at")} < ${to}`);
  }
  if (filter.upcomingDays !== undefined) {
    const days = upcomingMonthDays(localDate(deps.clock.now(), zone), filter.upcomingDays);
    and.push(
      sql.fragment`${column("birthday_md")} IN ${days} OR ${column("anniversary_md")} IN ${days}`,
    );
  }
  if (filter.ownerId) and.push(sql.fragment`${column("owner_id")} = ${filter.ownerId}`);
  return { conditions: and, tags };
}

/** The WHERE of the customers matching `filter` that this member may see (model queries). */
export async function filterWhere(
  deps: { sequelize: Sequelize; models: Models; clock: Clock },
  ctx: TenantContext,
  filter: CustomerFilter,
  extra: Record<string, unknown> = {},
): Promise<WhereOptions> {
  const { conditions } = await planFilter(deps, ctx, filter, modelAlias);
  const literals = conditions.map((c) => deps.sequelize.literal(`(${c.text})`));
  return tenantWhere(ctx, deps.models.Customer, {
    ...extra,
    ...(literals.length ? { [Op.and]: literals } : {}),
  });
}

const midnight = { hour: 0, minute: 0 };
