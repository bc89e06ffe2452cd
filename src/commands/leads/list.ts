import { type MemberChoice, membersWhoMay } from "../members";
import type { Deps } from "../../deps";
import type { Lead, LeadEvent, LeadTemperature } from "../../models";
import { temperatureRanges } from "../../models/Lead";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { tenantSql, type SqlFragment, type TenantSql } from "../../tenancy/sql";
import { selectRows } from "../../db/connection";

export interface LeadFilter {
  /** A stage code of the business (stages.ts). */
  stage?: string;
  temperature?: LeadTemperature;
  /** A member's id, or "none" for leads nobody owns. */
  ownerId?: number | "none";
  source?: string;
  /** Words of the name or company, an e-mail, or digits of the phone. */
  q?: string;
}

/** Typed wildcards are dropped (SQLite has no default LIKE escape). */
const likeSafe = (text: string) => text.replace(/[\\%_]/g, "");

/**
 * The search box: an e-mail (has @) matches e-mails starting with it; mostly digits match the
 * phone's digits; anything else matches the start of the first name, last name or company.
 */
function searchSql(sql: TenantSql, q: string, alias: string): SqlFragment {
  const a = sql.raw(alias);
  const text = likeSafe(q.trim());
  if (text.includes("@")) return sql.fragment`${a}.email LIKE ${`${text.toLowerCase()}%`}`;
  const digits = text.replace(/[\s()+-]/g, "");
  if (/^\d{4,}$/.test(digits)) return sql.fragment`${a}.phone_e164 LIKE ${`%${digits}%`}`;
  const start = `${text}%`;
  return sql.fragment`${a}.first_name LIKE ${start} OR ${a}.last_name LIKE ${start}
    OR ${a}.company LIKE ${start}`;
}

/**
 * The filter as a condition on the leads table `alias` (statements add its scope themselves:
 * tenantSql refuses one without it). Every list of leads — page, API, board — filters with it.
 */
export function leadFilterSql(
  sql: TenantSql,
  filter: LeadFilter & { beforeId?: number },
  alias = "l",
): SqlFragment {
  const a = sql.raw(alias);
  const parts: SqlFragment[] = [];
  if (filter.stage) parts.push(sql.fragment`${a}.stage = ${filter.stage}`);
  if (filter.temperature) {
    const range = temperatureRanges[filter.temperature];
    parts.push(sql.fragment`${a}.score BETWEEN ${range.min} AND ${range.max}`);
  }
  if (filter.ownerId === "none") parts.push(sql.fragment`${a}.owner_id IS NULL`);
  else if (filter.ownerId !== undefined)
    parts.push(sql.fragment`${a}.owner_id = ${filter.ownerId}`);
  if (filter.source) parts.push(sql.fragment`${a}.source = ${filter.source}`);
  if (filter.q?.trim()) parts.push(searchSql(sql, filter.q, alias));
  if (filter.beforeId !== undefined) parts.push(sql.fragment`${a}.id < ${filter.beforeId}`);
  return parts.reduce(
    (all, part) => sql.fragment`${all} AND ${part}`,
    sql.fragment`${sql.raw("1 = 1")}`,
  );
}

/**
 * The ids of the newest `limit` leads matching the filter, from an index alone. Asked for whole
 * rows with their owner joined, MariaDB walked (business_id, id) backwards fetching every row
 * until it passed the keyset bound or found enough of a stage: 1.2–1.8 s at 1M leads for a page
 * half-way down or a stage filter, against 1–7 ms for the ids alone (bench:sales, 2026-12-02).
 */
function newestIdsSql(sql: TenantSql, filter: LeadFilter & { beforeId?: number }, limit: number) {
  return sql.fragment`SELECT l.id FROM leads l WHERE ${sql.scoped("l")} AND ${leadFilterSql(sql, filter)}
    ORDER BY l.id DESC LIMIT ${limit}`;
}

/**
 * One page of leads as model instances (the API's presenter), newest first, keyset-paged on id
 * (`beforeId`: the last id of the page before). Reads `limit + 1` rows so the caller knows
 * whether a next page exists.
 */
export async function listLeads(
  deps: Deps,
  ctx: TenantContext,
  filter: LeadFilter,
  page: { limit: number; beforeId?: number },
): Promise<Lead[]> {
  authorize(ctx, "leads.view");
  const sql = tenantSql(deps, ctx);
  const ids = await selectRows<{ id: number | string }>(
    deps.sequelize,
    newestIdsSql(sql, { ...filter, beforeId: page.beforeId }, page.limit + 1).text,
  );
  if (ids.length === 0) return [];
  return deps.models.Lead.findAll({
    where: tenantWhere(ctx, deps.models.Lead, { id: ids.map((row) => Number(row.id)) }),
    include: [{ model: deps.models.User, as: "owner", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
  });
}

/** A lead as a list row or Kanban card shows it (routes/leads/listRow.ts), and nothing more. */
export type LeadRow = Pick<
  Lead,
  | "id"
  | "firstName"
  | "lastName"
  | "company"
  | "email"
  | "phoneE164"
  | "source"
  | "stage"
  | "score"
  | "nextAction"
  | "nextActionOn"
  | "dealId"
> & { owner: { id: number; name: string } | null };

interface RawLeadRow {
  id: number | string;
  firstName: string;
  lastName: string | null;
  company: string | null;
  email: string | null;
  phoneE164: string | null;
  source: Lead["source"];
  stage: Lead["stage"];
  score: number | string;
  nextAction: string | null;
  nextActionOn: string | null;
  dealId: number | string | null;
  ownerId: number | string | null;
}

function leadRowOf(raw: RawLeadRow, names: ReadonlyMap<number, string>): LeadRow {
  const { ownerId, ...row } = raw;
  const owner = ownerId === null ? null : Number(ownerId);
  return {
    ...row,
    id: Number(row.id),
    score: Number(row.score),
    dealId: row.dealId === null ? null : Number(row.dealId),
    // DATEONLY as its "YYYY-MM-DD" text on both dialects.
    nextActionOn: row.nextActionOn === null ? null : String(row.nextActionOn).slice(0, 10),
    owner: owner === null ? null : { id: owner, name: names.get(owner) ?? "" },
  };
}

/**
 * The owners' names: members' from the business's remembered member list (setup.ts), anyone
 * else's (a former member still owning leads) read by id.
 */
async function ownerNames(
  deps: Deps,
  ctx: TenantContext,
  rows: readonly RawLeadRow[],
): Promise<Map<number, string>> {
  const names = new Map((await membersWhoMay(deps, ctx)).map((m) => [m.id, m.name]));
  const others = [
    ...new Set(rows.map((r) => (r.ownerId === null ? null : Number(r.ownerId)))),
  ].filter((id): id is number => id !== null && !names.has(id));
  if (others.length > 0) {
    const users = await deps.models.User.findAll({
      where: { id: others },
      attributes: ["id", "name"],
      raw: true,
    });
    for (const user of users) names.set(user.id, user.name);
  }
  return names;
}

/**
 * Pages of leads as plain rows (the list page, the Kanban's columns), in one statement: the
 * page's ids from an index (newestIdsSql), then those rows. Model instances and Sequelize's query
 * building cost the list page most of its time (profiled), a plain SELECT does not; the owners'
 * names come from the member list the filter shows anyway, and the 26 rows are put in order here
 * (a join to users and a sort of the derived table cost MariaDB 12% of the statement).
 */
async function leadRows(
  deps: Deps,
  ctx: TenantContext,
  filter: LeadFilter & { beforeId?: number },
  limit: number,
): Promise<LeadRow[]> {
  const sql = tenantSql(deps, ctx);
  const rows = await selectRows<RawLeadRow>(
    deps.sequelize,
    sql.text`
      SELECT l.id, l.first_name AS firstName, l.last_name AS lastName, l.company, l.email,
             l.phone_e164 AS phoneE164, l.source, l.stage, l.score, l.next_action AS nextAction,
             l.next_action_on AS nextActionOn, l.deal_id AS dealId, l.owner_id AS ownerId
        FROM (${newestIdsSql(sql, filter, limit)}) page
        JOIN leads l ON l.id = page.id AND ${sql.scoped("l")}`,
  );
  rows.sort((a, b) => Number(b.id) - Number(a.id));
  const names = await ownerNames(deps, ctx, rows);
  return rows.map((row) => leadRowOf(row, names));
}

/** listLeads' page as plain rows, for the list page. */
export function listLeadRows(
  deps: Deps,
  ctx: TenantContext,
  filter: LeadFilter,
  page: { limit: number; beforeId?: number },
): Promise<LeadRow[]> {
  authorize(ctx, "leads.view");
  return leadRows(deps, ctx, { ...filter, beforeId: page.beforeId }, page.limit + 1);
}

/**
 * The Kanban: per stage, the newest `perColumn` leads matching the filter, and how many in all.
 * The counts are one GROUP BY over the filtered leads (not one COUNT per column), so the board's
 * statements stay fixed however many leads there are; each column reads at most `perColumn` rows.
 */
export async function leadBoard(
  deps: Deps,
  ctx: TenantContext,
  filter: Omit<LeadFilter, "stage">,
  stages: readonly string[],
  perColumn = 50,
): Promise<Array<{ stage: string; leads: LeadRow[]; total: number }>> {
  authorize(ctx, "leads.view");
  const sql = tenantSql(deps, ctx);
  const counted = await selectRows<{ stage: string; total: number | string }>(
    deps.sequelize,
    sql.text`SELECT l.stage, COUNT(*) AS total FROM leads l
      WHERE ${sql.scoped("l")} AND ${leadFilterSql(sql, filter)} GROUP BY l.stage`,
  );
  const totals = new Map(counted.map((row) => [row.stage, Number(row.total)]));
  const columns = await Promise.all(
    stages.map(async (stage) => {
      const total = totals.get(stage) ?? 0;
      const leads = total === 0 ? [] : await leadRows(deps, ctx, { ...filter, stage }, perColumn);
      return { stage, leads, total };
    }),
  );
  return columns;
}

const ownerInclude = (deps: Deps) => ({
  model: deps.models.User,
  as: "owner",
  attributes: ["id", "name"],
});

/** One lead the member can see (404 otherwise: another business, or a colleague's for sales). */
export async function loadLead(deps: Deps, ctx: TenantContext, id: unknown): Promise<Lead> {
  authorize(ctx, "leads.view");
  return findInBusiness(ctx, deps.models.Lead, id, { include: [ownerInclude(deps)] });
}

/** A lead's timeline, newest first. */
export async function leadTimeline(
  deps: Deps,
  ctx: TenantContext,
  lead: Pick<Lead, "id">,
): Promise<LeadEvent[]> {
  authorize(ctx, "leads.view");
  return deps.models.LeadEvent.findAll({
    where: tenantWhere(ctx, deps.models.LeadEvent, { leadId: lead.id }),
    include: [{ model: deps.models.User, as: "actor", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
    limit: 200,
  });
}

/** Members who may own leads (their role works leads), by name. */
export function leadOwners(deps: Deps, ctx: TenantContext): Promise<MemberChoice[]> {
  return membersWhoMay(deps, ctx, "leads.manage");
}
