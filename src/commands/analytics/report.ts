import type { Deps } from "../../deps";
import { can } from "../../policies/permissions";
import { authorize, type TenantContext } from "../../tenancy/context";
import { scopeOf, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { campaignCounts } from "../campaigns/results";
import { defaultCurrency } from "../deals/input";
import {
  monthOf,
  monthStart,
  monthsEndingWith,
  periodRange,
  shiftMonth,
  type AnalyticsPeriod,
} from "./period";
import { targetsFor } from "./targets";

/**
 * The sales analytics page's numbers (issue 12, item 9), each from one aggregate statement scoped
 * like every tenant query: a sales member's report counts only their own leads and deals. Money is
 * the business's currency; deals in other currencies are counted but never added in.
 */
export interface SalesReport {
  period: AnalyticsPeriod;
  currency: string;
  /** The member sees their own numbers only (sales). */
  ownOnly: boolean;
  leads: { total: number; hot: number; converted: number; conversionRate: number | null };
  bySource: Array<{ source: string | null; count: number }>;
  topCampaigns: Array<{
    id: number;
    name: string;
    currency: string;
    leads: number;
    wonDeals: number;
    revenueMinor: number;
  }>;
  stages: Array<{
    stageId: number;
    pipeline: string;
    stage: string;
    kind: string;
    deals: number;
    amountMinor: number;
  }>;
  pipeline: { openDeals: number; valueMinor: number; weightedMinor: number };
  wonByMonth: Array<{ month: string; deals: number; revenueMinor: number }>;
  /** The month members' results are compared with their targets (YYYY-MM). */
  month: string;
  members: Array<{
    userId: number;
    name: string;
    leads: number;
    converted: number;
    wonDeals: number;
    wonRevenueMinor: number;
    targetMinor: number | null;
    /** won ÷ target; null without a target. */
    achievement: number | null;
  }>;
}

const num = (value: unknown) => Number(value ?? 0);

interface LeadRow {
  source: string | null;
  owner_id: number | null;
  total: number | string;
  hot: number | string;
  converted: number | string;
}

/**
 * Leads of the period in one pass, grouped by source and owner; the covering index
 * leads_business_created_stats keeps it inside the index at a million leads.
 */
async function leadRows(deps: Deps, ctx: TenantContext, from: Date | null, to: Date) {
  const sql = tenantSql(deps, ctx);
  const since = from ? sql.fragment`l.created_at >= ${from}` : sql.fragment`1 = 1`;
  return sql.select<LeadRow>`
    SELECT l.source AS source, l.owner_id AS owner_id, COUNT(*) AS total,
      SUM(CASE WHEN l.score > 70 THEN 1 ELSE 0 END) AS hot,
      SUM(CASE WHEN l.stage = 'converted' THEN 1 ELSE 0 END) AS converted
    FROM leads l
    WHERE ${sql.scoped("l")} AND ${since} AND l.created_at < ${to}
    GROUP BY l.source, l.owner_id`;
}

interface StageRow {
  stage_id: number;
  pipeline: string;
  stage: string;
  kind: string;
  probability: number | string;
  deals: number | string;
  amount: number | string | null;
}

/** Deals now in each stage of every pipeline (stages without deals too), in board order. */
async function stageRows(deps: Deps, ctx: TenantContext, currency: string) {
  const sql = tenantSql(deps, ctx);
  return sql.select<StageRow>`
    SELECT s.id AS stage_id, p.name AS pipeline, s.name AS stage, s.kind AS kind,
      s.probability AS probability, COUNT(d.id) AS deals,
      SUM(CASE WHEN d.currency = ${currency} THEN d.amount_minor ELSE 0 END) AS amount
    FROM pipeline_stages s
    JOIN pipelines p ON ${sql.scoped("p")} AND p.id = s.pipeline_id
    LEFT JOIN deals d ON ${sql.scoped("d")} AND d.stage_id = s.id
    WHERE ${sql.scoped("s")}
    GROUP BY s.id, p.id, p.name, s.name, s.kind, s.probability, s.position
    ORDER BY p.id, s.position`;
}

interface WonRow {
  owner_id: number | null;
  bucket: number | string;
  deals: number | string;
  revenue: number | string | null;
}

/**
 * Won deals closed in each of the given months (business time zone), by owner: month boundaries
 * are computed here and compared as instants, which reads the same on both dialects.
 */
async function wonRows(
  deps: Deps,
  ctx: TenantContext,
  months: Array<{ start: Date; end: Date }>,
  currency: string,
) {
  const sql = tenantSql(deps, ctx);
  const first = months[0]!.start;
  const last = months[months.length - 1]!.end;
  // CASE WHEN closed_at < end1 THEN 0 WHEN closed_at < end2 THEN 1 …: the month's index.
  let bucket = "CASE";
  months.forEach((m, i) => {
    bucket += ` WHEN d.closed_at < ${sql.literals.value(m.end)} THEN ${i}`;
  });
  bucket += " END";
  return sql.select<WonRow>`
    SELECT d.owner_id AS owner_id, ${sql.raw(bucket)} AS bucket, COUNT(*) AS deals,
      SUM(CASE WHEN d.currency = ${currency} THEN d.amount_minor ELSE 0 END) AS revenue
    FROM deals d
    JOIN pipeline_stages s ON ${sql.scoped("s")} AND s.id = d.stage_id AND s.kind = 'won'
    WHERE ${sql.scoped("d")} AND d.closed_at >= ${first} AND d.closed_at < ${last}
    GROUP BY d.owner_id, bucket`;
}

/** Top campaigns by leads brought in the period (the 200 newest campaigns are looked at). */
async function topCampaigns(deps: Deps, ctx: TenantContext, from: Date | null, to: Date) {
  const campaigns = await deps.models.Campaign.findAll({
    where: tenantWhere(ctx, deps.models.Campaign),
    attributes: ["id", "name", "currency"],
    order: [["id", "DESC"]],
    limit: 200,
  });
  const counts = await campaignCounts(
    deps,
    ctx,
    campaigns.map((c) => c.id),
    { from: from ?? new Date(0), to },
  );
  return campaigns
    .map((c) => ({ id: c.id, name: c.name, currency: c.currency, ...counts.get(c.id) }))
    .filter((c) => (c.leads ?? 0) > 0)
    .map((c) => ({
      id: c.id,
      name: c.name,
      currency: c.currency,
      leads: c.leads ?? 0,
      wonDeals: c.wonDeals ?? 0,
      revenueMinor: c.revenueMinor ?? 0,
    }))
    .sort((a, b) => b.leads - a.leads || b.revenueMinor - a.revenueMinor || a.id - b.id)
    .slice(0, 10);
}

/** Members whose results are shown: who works leads or deals (a sales member: themself). */
export async function salesPeople(deps: Deps, ctx: TenantContext, ownOnly: boolean) {
  if (ownOnly) return [{ id: ctx.user.id, name: ctx.user.name }];
  const members = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership),
    include: [{ model: deps.models.User, as: "user", attributes: ["id", "name"], required: true }],
  });
  return members
    .filter((m) => can(m.role, "leads.manage") || can(m.role, "deals.manage"))
    .map((m) => ({ id: m.userId, name: m.user?.name ?? "" }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/** The whole report for a period, with members' results for `month` (default: this month). */
export async function salesReport(
  deps: Deps,
  ctx: TenantContext,
  period: AnalyticsPeriod,
  month?: string,
): Promise<SalesReport> {
  authorize(ctx, "analytics.view");
  const zone = ctx.business.timeZone;
  const now = deps.clock.now();
  const currency = defaultCurrency(ctx);
  const ownOnly = scopeOf(ctx).ownRecordsOf !== null;
  const thisMonth = monthOf(now, zone);
  const chosen = month ?? thisMonth;
  const { from, to } = periodRange(period, now, zone);
  const chartMonths = monthsEndingWith(thisMonth, zone);
  const chosenMonth = {
    start: monthStart(chosen, zone),
    end: monthStart(shiftMonth(chosen, 1), zone),
  };

  const [leads, stages, won, wonChosen, campaigns, members, targets] = await Promise.all([
    leadRows(deps, ctx, from, to),
    stageRows(deps, ctx, currency),
    wonRows(deps, ctx, chartMonths, currency),
    wonRows(deps, ctx, [chosenMonth], currency),
    topCampaigns(deps, ctx, from, to),
    salesPeople(deps, ctx, ownOnly),
    targetsFor(deps, ctx, chosen),
  ]);

  const total = leads.reduce((sum, r) => sum + num(r.total), 0);
  const converted = leads.reduce((sum, r) => sum + num(r.converted), 0);
  const sources = new Map<string | null, number>();
  for (const r of leads) sources.set(r.source, (sources.get(r.source) ?? 0) + num(r.total));

  const open = stages.filter((s) => s.kind === "open");
  const byMonth = chartMonths.map((m) => ({ month: m.month, deals: 0, revenueMinor: 0 }));
  for (const r of won) {
    const entry = byMonth[num(r.bucket)];
    if (!entry) continue;
    entry.deals += num(r.deals);
    entry.revenueMinor += num(r.revenue);
  }

  return {
    period,
    currency,
    ownOnly,
    leads: {
      total,
      hot: leads.reduce((sum, r) => sum + num(r.hot), 0),
      converted,
      conversionRate: total > 0 ? converted / total : null,
    },
    bySource: [...sources]
      .map(([source, count]) => ({ source, count }))
      .sort((a, b) => b.count - a.count || String(a.source).localeCompare(String(b.source))),
    topCampaigns: campaigns,
    stages: stages.map((s) => ({
      stageId: num(s.stage_id),
      pipeline: s.pipeline,
      stage: s.stage,
      kind: s.kind,
      deals: num(s.deals),
      amountMinor: num(s.amount),
    })),
    pipeline: {
      openDeals: open.reduce((sum, s) => sum + num(s.deals), 0),
      valueMinor: open.reduce((sum, s) => sum + num(s.amount), 0),
      weightedMinor: Math.round(
        open.reduce((sum, s) => sum + (num(s.amount) * num(s.probability)) / 100, 0),
      ),
    },
    wonByMonth: byMonth,
    month: chosen,
    members: members.map((person) => {
      const own = leads.filter((r) => r.owner_id !== null && num(r.owner_id) === person.id);
      const wins = wonChosen.filter((r) => r.owner_id !== null && num(r.owner_id) === person.id);
      const wonRevenueMinor = wins.reduce((sum, r) => sum + num(r.revenue), 0);
      const target = targets.get(person.id) ?? null;
      return {
        userId: person.id,
        name: person.name,
        leads: own.reduce((sum, r) => sum + num(r.total), 0),
        converted: own.reduce((sum, r) => sum + num(r.converted), 0),
        wonDeals: wins.reduce((sum, r) => sum + num(r.deals), 0),
        wonRevenueMinor,
        targetMinor: target,
        achievement: target && target > 0 ? wonRevenueMinor / target : null,
      };
    }),
  };
}
