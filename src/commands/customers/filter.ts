import { Op, type Sequelize, type WhereOptions } from "sequelize";
import { z } from "zod";
import { addDays, parseIsoDate, upcomingMonthDays, localDate, zonedTime } from "../../lib/dates";
import { idField } from "../../lib/ids";
import { phoneDigits } from "../../lib/phone";
import type { Models } from "../../models";
import type { Clock } from "../../lib/clock";
import type { TenantContext } from "../../tenancy/context";
import { scopeOf, tenantWhere, type Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
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
      z.string().trim().max(100, { error: "Search for at most 100 characters." }).optional(),
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

/** LIKE 'prefix%' with the user's own % and _ taken literally, on both dialects. */
function startsWith(sequelize: Sequelize, column: string, prefix: string) {
  const escaped = prefix.replace(/[!%_]/g, (c) => `!${c}`);
  return sequelize.literal(`${column} LIKE ${sequelize.escape(`${escaped}%`)} ESCAPE '!'`);
}

/**
 * The search box: phone digits in any format ("098765 43210", "+91 98765…", the last digits), an
 * e-mail, or the start of a name or surname. Each branch is an index range, so a search is also
 * counted branch by branch (list.ts).
 */
export function searchBranches(sequelize: Sequelize, q: string): unknown[] {
  const digits = phoneDigits(q);
  if (digits.length >= 3 && /^[\d\s()+.\-/]+$/.test(q)) {
    const national = digits.replace(/^0+/, "");
    const branches = [startsWith(sequelize, "phone_e164", `+${digits}`)];
    if (national) branches.push(startsWith(sequelize, "phone_national", national));
    if (digits.length >= 4)
      branches.push(startsWith(sequelize, "phone_reversed", [...digits].reverse().join("")));
    return branches;
  }
  const key = q.toLowerCase().replace(/\s+/g, " ");
  if (key.includes("@")) return [startsWith(sequelize, "email", key)];
  return [
    startsWith(sequelize, "name_key", key),
    startsWith(sequelize, "name_tail", key),
    startsWith(sequelize, "email", key),
  ];
}

function searchCondition(sequelize: Sequelize, q: string) {
  const branches = searchBranches(sequelize, q);
  return branches.length === 1 ? branches[0] : { [Op.or]: branches };
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
  const rows = await sql.select<{ id: number; size: number | string }>`
    SELECT t.id, CASE
      WHEN (SELECT ct.customer_id FROM customer_tags ct WHERE ${sql.scoped("ct")}
            AND ct.tag_id = t.id ORDER BY ct.customer_id LIMIT 1 OFFSET ${threshold - 1}) IS NULL
      THEN (SELECT COUNT(*) FROM customer_tags c2 WHERE ${sql.scoped("c2")} AND c2.tag_id = t.id)
      ELSE ${threshold} END AS size
    FROM tags t
    WHERE ${sql.scoped("t")} AND (t.name IN ${by.names ?? []} OR t.id IN ${by.ids ?? []})`;
  return {
    ids: rows.map((r) => Number(r.id)),
    sizes: rows.map((r) => Number(r.size)),
    threshold,
  };
}

/**
 * The tag condition, shaped for the optimizer. A rare tag: collect its customers (a semi-join over
 * a few thousand rows) and sort those. A common tag: walk the list's sort index and check each row
 * with a primary-key lookup — a correlated subquery with LIMIT, which MariaDB cannot turn into a
 * semi-join that would materialise 100,000 ids (measured: 1.4 s → a few ms at 1M customers).
 */
export async function tagCondition(
  deps: { sequelize: Sequelize },
  scoped: Scoped,
  ids: number[],
  all: boolean,
  threshold = smallTag,
  known?: TagSizes,
) {
  const sized = known ?? (await sizedTags(deps, scoped, { ids }, threshold));
  const sizes = sized.sizes;
  const sql = tenantSql(deps, scopeOf(scoped, { wholeBusiness: true }));
  const smallest = Math.min(...sizes);
  const rarest = sized.ids[sizes.indexOf(smallest)]!;
  const perRow = all
    ? sql.text`(SELECT COUNT(*) FROM customer_tags ct WHERE ${sql.scoped("ct")}
         AND ct.customer_id = \`Customer\`.\`id\` AND ct.tag_id IN ${ids}) = ${ids.length}`
    : sql.text`(SELECT 1 FROM customer_tags ct WHERE ${sql.scoped("ct")}
         AND ct.customer_id = \`Customer\`.\`id\` AND ct.tag_id IN ${ids} LIMIT 1) IS NOT NULL`;
  const rare = all
    ? smallest < sized.threshold
    : sizes.reduce((a, b) => a + b, 0) < sized.threshold;
  if (!rare) return deps.sequelize.literal(perRow);
  const collected = sql.text`id IN (SELECT customer_id FROM customer_tags ct
     WHERE ${sql.scoped("ct")} AND tag_id IN ${all ? [rarest] : ids})`;
  return deps.sequelize.literal(all && ids.length > 1 ? `${collected} AND ${perRow}` : collected);
}

/** What building a filter's conditions learned, for counting them without asking again. */
export interface FilterPlan {
  conditions: Record<string | symbol, unknown>;
  /** The filter's tags and their sizes, when it has tags. */
  tags?: TagSizes;
}

/**
 * The filter's conditions on customers, without the scope (queries apply it: tenantWhere,
 * tenantSql's modelSelect), and the tag sizes it looked up on the way.
 */
export async function planFilter(
  deps: { sequelize: Sequelize; clock: Clock },
  ctx: TenantContext,
  filter: CustomerFilter,
): Promise<FilterPlan> {
  const { sequelize } = deps;
  const and: unknown[] = [];
  const zone = ctx.business.timeZone;
  let tags: TagSizes | undefined;
  if (filter.q) and.push(searchCondition(sequelize, filter.q));
  if (filter.tags?.length) {
    tags = await sizedTags(deps, ctx, { names: filter.tags });
    const all = filter.tagMode === "all";
    if (tags.ids.length === 0 || (all && tags.ids.length < filter.tags.length))
      and.push({ id: -1 });
    else and.push(await tagCondition(deps, ctx, tags.ids, all, tags.threshold, tags));
  }
  if (filter.createdFrom)
    and.push({ createdAt: { [Op.gte]: zonedTime(filter.createdFrom, midnight, zone) } });
  if (filter.createdTo)
    and.push({ createdAt: { [Op.lt]: zonedTime(addDays(filter.createdTo, 1), midnight, zone) } });
  if (filter.upcomingDays !== undefined) {
    const days = upcomingMonthDays(localDate(deps.clock.now(), zone), filter.upcomingDays);
    and.push({
      [Op.or]: [{ birthdayMd: { [Op.in]: days } }, { anniversaryMd: { [Op.in]: days } }],
    });
  }
  if (filter.ownerId) and.push({ ownerId: filter.ownerId });
  return { conditions: and.length ? { [Op.and]: and } : {}, tags };
}

/** The filter's conditions on customers, without the scope (see planFilter). */
export async function filterConditions(
  deps: { sequelize: Sequelize; clock: Clock },
  ctx: TenantContext,
  filter: CustomerFilter,
): Promise<Record<string | symbol, unknown>> {
  return (await planFilter(deps, ctx, filter)).conditions;
}

/** The WHERE of the customers matching `filter` that this member may see. */
export async function filterWhere(
  deps: { sequelize: Sequelize; models: Models; clock: Clock },
  ctx: TenantContext,
  filter: CustomerFilter,
  extra: Record<string, unknown> = {},
): Promise<WhereOptions> {
  const conditions = await filterConditions(deps, ctx, filter);
  return tenantWhere(ctx, deps.models.Customer, { ...extra, ...conditions });
}

const midnight = { hour: 0, minute: 0 };
