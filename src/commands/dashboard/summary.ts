import { selectRows } from "../../db/connection";
import { sqlTime } from "../../db/sqlTime";
import type { Deps } from "../../deps";
import { upcomingMonthDays } from "../../lib/dates";
import { features, shippedFeatures, type FeatureName } from "../../plans/features";
import { featureLock, hasFeature, type FeatureLock } from "../../plans/planGate";
import { can } from "../../policies/permissions";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { tenantSql, type TenantSql } from "../../tenancy/sql";
import { lastCampaign, scheduledPosts, type LastCampaign, type ScheduledPost } from "./marketing";
import { periodsAt, type Periods } from "./periods";
import { remembered } from "./remembered";
import { countVersions } from "./versions";

export type { LastCampaign, ScheduledPost };

/**
 * The dashboard's numbers (issue 15): plain aggregate SQL through tenantSql, so a sales member's
 * numbers are their own (customers, leads and deals they own, tasks given to or written by them)
 * and every other role sees the business's. An area the plan, the role or the shipped menu does
 * not include is not counted (its card is absent, not zero). Times come from the injected clock,
 * days and weeks from the business's time zone.
 */
export interface MoneyTotal {
  currency: string;
  minor: number;
}

export interface WeekPoint {
  /** Local Monday, YYYY-MM-DD. */
  week: string;
  count: number;
}

export interface StagePoint {
  id: number;
  name: string;
  kind: string;
  count: number;
}

export interface DashboardSummary {
  periods: Periods;
  customers?: { total: number; newThisWeek: number; upcoming: number; weekly: WeekPoint[] };
  leads?: { newThisWeek: number; hot: number; weekly: WeekPoint[] };
  deals?: {
    open: number;
    pipeline: MoneyTotal[];
    wonThisMonth: number;
    wonValue: MoneyTotal[];
    /** The default pipeline's stages with their deals (the chart). */
    pipelineName: string | null;
    stages: StagePoint[];
  };
  tasks?: { dueToday: number; overdue: number };
  tickets?: { open: number };
  /** The latest campaign that ran or was sent, with its results; null: none. */
  campaign?: LastCampaign | null;
  /** Social posts scheduled: how many and the next few. */
  social?: { count: number; next: ScheduledPost[] };
  /**
   * Cards the member's role would show but the plan lacks, with the plan that unlocks each (the
   * sidebar's lock, planGate.featureLock). Only the marketing cards are shown locked.
   */
  locked: FeatureLock[];
}

/** Upcoming birthdays and anniversaries: today and the next 7 days (the card's link says 7). */
export const upcomingDays = 7;

/** The member may use the feature: shipped, in the plan, allowed for the role. */
export function mayUse(ctx: TenantContext, feature: FeatureName): boolean {
  return (
    shippedFeatures.has(feature) &&
    hasFeature(ctx.plan, feature) &&
    can(ctx.membership.role, features[feature].action)
  );
}

type Row = Record<string, number | string | null>;
const num = (value: unknown) => Number(value ?? 0);

async function one(deps: Deps, statement: string): Promise<Row> {
  const [row] = await selectRows<Row>(deps.sequelize, statement);
  return row ?? {};
}

/**
 * `SUM(CASE WHEN col >= start_i AND col < start_i+1 …)` for the twelve weeks (or the first
 * `count`): one range read on the (business_id, created_at …) index. The times are ours (never
 * typed by anyone), rendered as literals by the statement's own renderer.
 */
function weekColumns(
  deps: Deps,
  sql: TenantSql,
  column: string,
  p: Periods,
  count = p.weeks.length,
): string {
  const bounds = [...p.weeks.map((w) => w.start), p.dayEnd];
  return p.weeks
    .slice(0, count)
    .map((_, i) => {
      const from = sql.literals.value(sqlTime(deps.sequelize, bounds[i]!));
      const to = sql.literals.value(sqlTime(deps.sequelize, bounds[i + 1]!));
      return `SUM(CASE WHEN ${column} >= ${from} AND ${column} < ${to} THEN 1 ELSE 0 END) AS w${i}`;
    })
    .join(", ");
}

function weekly(row: Row, p: Periods): WeekPoint[] {
  return p.weeks.map((w, i) => ({ week: w.date, count: num(row[`w${i}`]) }));
}

/** Whose records a member's numbers count: theirs (0: the whole business). */
const scopeKey = (ctx: TenantContext) => (restrictedToOwnRecords(ctx) ? ctx.membership.userId : 0);

/**
 * New customers of the eleven weeks before this one, remembered until a write changes them
 * (versions.ts); this week's are counted on every view.
 */
async function pastWeeks(deps: Deps, ctx: TenantContext, sql: TenantSql, p: Periods) {
  const version = (await countVersions(deps, ctx)).customers;
  const since = sqlTime(deps.sequelize, p.weeks[0]!.start);
  const weekStart = sqlTime(deps.sequelize, p.weekStart);
  const key = `customers:${ctx.business.id}:${version}:${scopeKey(ctx)}:${p.weeks[0]!.start.getTime()}:${p.weekStart.getTime()}`;
  return remembered(key, () =>
    one(
      deps,
      sql.text`SELECT ${sql.raw(weekColumns(deps, sql, "c.created_at", p, p.weeks.length - 1))}
        FROM customers c WHERE ${sql.scoped("c")} AND c.created_at >= ${since}
          AND c.created_at < ${weekStart}`,
    ),
  );
}

async function customerNumbers(deps: Deps, ctx: TenantContext, sql: TenantSql, p: Periods) {
  const weekStart = sqlTime(deps.sequelize, p.weekStart);
  const days = upcomingMonthDays(p.today, upcomingDays);
  const [weeks, week, upcoming, owned] = await Promise.all([
    pastWeeks(deps, ctx, sql, p),
    one(
      deps,
      sql.text`SELECT COUNT(*) AS n FROM customers c
        WHERE ${sql.scoped("c")} AND c.created_at >= ${weekStart}`,
    ),
    // Two index ranges added up (an OR of both columns would read every customer).
    one(
      deps,
      sql.text`SELECT
        (SELECT COUNT(*) FROM customers c WHERE ${sql.scoped("c")} AND c.birthday_md IN ${days})
        + (SELECT COUNT(*) FROM customers a WHERE ${sql.scoped("a")} AND a.anniversary_md IN ${days}
           AND (a.birthday_md IS NULL OR a.birthday_md NOT IN ${days})) AS n`,
    ),
    // The unfiltered total is kept on the business row; a sales member's own is counted.
    restrictedToOwnRecords(ctx)
      ? one(deps, sql.text`SELECT COUNT(*) AS n FROM customers c WHERE ${sql.scoped("c")}`)
      : Promise.resolve({ n: ctx.business.customerCount }),
  ]);
  const current = p.weeks.length - 1;
  return {
    total: num(owned.n),
    newThisWeek: num(week.n),
    upcoming: num(upcoming.n),
    weekly: weekly({ ...weeks, [`w${current}`]: num(week.n) }, p),
  };
}

async function leadNumbers(deps: Deps, sql: TenantSql, p: Periods) {
  const since = sqlTime(deps.sequelize, p.weeks[0]!.start);
  const weekStart = sqlTime(deps.sequelize, p.weekStart);
  const [weeks, week, hot] = await Promise.all([
    one(
      deps,
      sql.text`SELECT ${sql.raw(weekColumns(deps, sql, "l.created_at", p))}
        FROM leads l WHERE ${sql.scoped("l")} AND l.created_at >= ${since}`,
    ),
    one(
      deps,
      sql.text`SELECT COUNT(*) AS n FROM leads l
        WHERE ${sql.scoped("l")} AND l.created_at >= ${weekStart}`,
    ),
    // Hot is a score above 70 (models/Lead.ts temperatureRanges), as the list's filter reads it.
    one(
      deps,
      sql.text`SELECT COUNT(*) AS n FROM leads l WHERE ${sql.scoped("l")} AND l.score >= 71`,
    ),
  ]);
  return { newThisWeek: num(week.n), hot: num(hot.n), weekly: weekly(weeks, p) };
}

function totals(rows: Row[]): MoneyTotal[] {
  return rows
    .map((r) => ({ currency: String(r.currency), minor: num(r.total) }))
    .sort((a, b) => b.minor - a.minor);
}

/**
 * Open deals, the pipeline's value and the chart's deals per stage come from one GROUP BY over
 * the stages that matter (every open stage; every stage of the default pipeline), read from the
 * (business_id, stage_id, currency, amount_minor) index alone. Won this month is a range on
 * (business_id, closed_at).
 */
async function dealNumbers(deps: Deps, ctx: TenantContext, sql: TenantSql, p: Periods) {
  const monthStart = sqlTime(deps.sequelize, p.monthStart);
  const [versions, won, pipeline, stageRows] = await Promise.all([
    countVersions(deps, ctx),
    selectRows<Row>(
      deps.sequelize,
      sql.text`SELECT d.currency, COUNT(*) AS n, SUM(d.amount_minor) AS total
        FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id AND ${sql.scoped("s")}
        WHERE ${sql.scoped("d")} AND d.closed_at >= ${monthStart} AND s.kind = 'won'
        GROUP BY d.currency`,
    ),
    selectRows<Row>(
      deps.sequelize,
      sql.text`SELECT p.id, p.name FROM pipelines p WHERE ${sql.scoped("p")}
        ORDER BY CASE WHEN p.is_default = ${true} THEN 0 ELSE 1 END, p.id LIMIT 1`,
    ),
    selectRows<Row>(
      deps.sequelize,
      sql.text`SELECT s.id, s.name, s.kind, s.pipeline_id FROM pipeline_stages s
        WHERE ${sql.scoped("s")} ORDER BY s.position, s.id`,
    ),
  ]);
  const chosen = pipeline[0];
  const chartStages = stageRows.filter((s) => chosen && num(s.pipeline_id) === num(chosen.id));
  const openIds = new Set(stageRows.filter((s) => s.kind === "open").map((s) => num(s.id)));
  const wanted = [...new Set([...openIds, ...chartStages.map((s) => num(s.id))])];
  // Remembered per stage set until a deal write raises the version (versions.ts).
  const counted = wanted.length
    ? await remembered(
        `deals:${ctx.business.id}:${versions.deals}:${scopeKey(ctx)}:${wanted}`,
        () =>
          selectRows<Row>(
            deps.sequelize,
            sql.text`SELECT d.stage_id, d.currency, COUNT(*) AS n, SUM(d.amount_minor) AS total
            FROM deals d WHERE ${sql.scoped("d")} AND d.stage_id IN ${wanted}
            GROUP BY d.stage_id, d.currency`,
          ),
      )
    : [];
  const open = new Map<string, Row>();
  for (const row of counted.filter((r) => openIds.has(num(r.stage_id)))) {
    const currency = String(row.currency);
    const sum = open.get(currency) ?? { currency, n: 0, total: 0 };
    open.set(currency, {
      currency,
      n: num(sum.n) + num(row.n),
      total: num(sum.total) + num(row.total),
    });
  }
  const perStage = (id: number) =>
    counted.filter((r) => num(r.stage_id) === id).reduce((all, r) => all + num(r.n), 0);
  const sum = (rows: Row[]) => rows.reduce((all, r) => all + num(r.n), 0);
  return {
    open: sum([...open.values()]),
    pipeline: totals([...open.values()]),
    wonThisMonth: sum(won),
    wonValue: totals(won),
    pipelineName: chosen ? String(chosen.name) : null,
    stages: chartStages.map((s) => ({
      id: num(s.id),
      name: String(s.name),
      kind: String(s.kind),
      count: perStage(num(s.id)),
    })),
  };
}

async function taskNumbers(deps: Deps, sql: TenantSql, p: Periods, now: Date) {
  const from = sqlTime(deps.sequelize, p.dayStart);
  const to = sqlTime(deps.sequelize, p.dayEnd);
  const at = sqlTime(deps.sequelize, now);
  // The tasks list's "today" and "overdue" filters, on active tasks (its default status filter).
  const row = await one(
    deps,
    sql.text`SELECT
        SUM(CASE WHEN t.due_at >= ${from} THEN 1 ELSE 0 END) AS today,
        SUM(CASE WHEN t.due_at < ${at} THEN 1 ELSE 0 END) AS overdue
      FROM tasks t WHERE ${sql.scoped("t")} AND t.status IN ${["open", "in_progress"]}
        AND t.due_at < ${to}`,
  );
  return { dueToday: num(row.today), overdue: num(row.overdue) };
}

async function ticketNumbers(deps: Deps, sql: TenantSql) {
  const row = await one(
    deps,
    sql.text`SELECT COUNT(*) AS n FROM tickets t WHERE ${sql.scoped("t")}
      AND t.status IN ${["open", "in_progress", "waiting_on_customer"]}`,
  );
  return { open: num(row.n) };
}

/** Marketing cards the plan lacks, for a role that could use them: shown with their lock. */
const lockedWhenMissing: FeatureName[] = ["campaigns", "social"];

function lockedCards(ctx: TenantContext): FeatureLock[] {
  return lockedWhenMissing
    .filter((f) => shippedFeatures.has(f) && can(ctx.membership.role, features[f].action))
    .map((f) => featureLock(ctx.plan, f))
    .filter((lock): lock is FeatureLock => lock !== null);
}

/** Every card's numbers this member may see, read side by side. */
export async function dashboardSummary(deps: Deps, ctx: TenantContext): Promise<DashboardSummary> {
  const now = deps.clock.now();
  const p = periodsAt(now, ctx.business.timeZone);
  const sql = tenantSql(deps, ctx);
  const none = Promise.resolve(undefined);
  const [customers, leads, deals, tasks, tickets, campaign, social] = await Promise.all([
    mayUse(ctx, "customers") ? customerNumbers(deps, ctx, sql, p) : none,
    mayUse(ctx, "leads") ? leadNumbers(deps, sql, p) : none,
    mayUse(ctx, "deals") ? dealNumbers(deps, ctx, sql, p) : none,
    mayUse(ctx, "tasks") ? taskNumbers(deps, sql, p, now) : none,
    mayUse(ctx, "tickets") ? ticketNumbers(deps, sql) : none,
    mayUse(ctx, "campaigns") ? lastCampaign(deps, ctx, sql) : none,
    mayUse(ctx, "social") ? scheduledPosts(deps, sql) : none,
  ]);
  return {
    periods: p,
    ...(customers && { customers }),
    ...(leads && { leads }),
    ...(deals && { deals }),
    ...(tasks && { tasks }),
    ...(tickets && { tickets }),
    ...(campaign !== undefined && { campaign }),
    ...(social && { social }),
    locked: lockedCards(ctx),
  };
}
