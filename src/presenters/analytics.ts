import {
  analyticsPeriods,
  monthLabel,
  periodLabels,
  shiftMonth,
  type AnalyticsPeriod,
} from "../commands/analytics/period";
import type { SalesReport } from "../commands/analytics/report";
import { amountInput, formatMoney, minorDigits } from "../commands/deals/money";

const count = (n: number) => n.toLocaleString("en-IN");
const percent = (ratio: number | null) =>
  ratio === null ? null : `${Math.round(ratio * 1000) / 10}%`;
/** Chart values in major units (rupees), which is what a chart's axis should read. */
const major = (minor: number, currency: string) => minor / 10 ** minorDigits(currency);

/** The query string of the page with its period and month. */
export function analyticsUrl(period: AnalyticsPeriod, month?: string): string {
  const params = new URLSearchParams({ period });
  if (month) params.set("month", month);
  return `/analytics?${params.toString()}`;
}

/** The analytics page: cards, tables and the charts' JSON (read by public/js/charts.js). */
export function presentReport(report: SalesReport, thisMonth: string) {
  const money = (minor: number) => formatMoney(minor, report.currency);
  const sources = report.bySource.map((s) => ({
    label: s.source ?? "No source",
    count: count(s.count),
    value: s.count,
  }));
  const campaigns = report.topCampaigns.map((c) => ({
    id: c.id,
    name: c.name,
    leads: count(c.leads),
    wonDeals: count(c.wonDeals),
    revenue: formatMoney(c.revenueMinor, c.currency),
  }));
  const stages = report.stages.map((s) => ({
    stageId: s.stageId,
    label: report.stages.some((o) => o.pipeline !== s.pipeline)
      ? `${s.pipeline}: ${s.stage}`
      : s.stage,
    deals: count(s.deals),
    amount: money(s.amountMinor),
  }));
  const months = report.wonByMonth.map((m) => ({
    label: monthLabel(m.month),
    deals: count(m.deals),
    revenue: money(m.revenueMinor),
  }));
  const members = report.members.map((m) => ({
    name: m.name,
    leads: count(m.leads),
    converted: count(m.converted),
    wonDeals: count(m.wonDeals),
    won: money(m.wonRevenueMinor),
    target: m.targetMinor === null ? null : money(m.targetMinor),
    achievement: percent(m.achievement),
    met: m.achievement !== null && m.achievement >= 1,
  }));
  const charts = {
    sources: { labels: sources.map((s) => s.label), values: sources.map((s) => s.value) },
    campaigns: {
      labels: report.topCampaigns.map((c) => c.name),
      values: report.topCampaigns.map((c) => c.leads),
    },
    stages: {
      labels: stages.map((s) => s.label),
      values: report.stages.map((s) => s.deals),
    },
    revenue: {
      labels: months.map((m) => m.label),
      values: report.wonByMonth.map((m) => major(m.revenueMinor, report.currency)),
      currency: report.currency,
    },
    members: {
      labels: report.members.map((m) => m.name),
      won: report.members.map((m) => major(m.wonRevenueMinor, report.currency)),
      target: report.members.map((m) =>
        m.targetMinor === null ? null : major(m.targetMinor, report.currency),
      ),
      currency: report.currency,
    },
  };
  return {
    ownOnly: report.ownOnly,
    hasLeads: report.leads.total > 0,
    periodOptions: analyticsPeriods.map((p) => ({
      value: p,
      label: periodLabels[p],
      selected: p === report.period,
    })),
    periodLabel: periodLabels[report.period],
    cards: {
      total: count(report.leads.total),
      hot: count(report.leads.hot),
      converted: count(report.leads.converted),
      conversionRate: percent(report.leads.conversionRate) ?? "—",
      pipelineValue: money(report.pipeline.valueMinor),
      weighted: money(report.pipeline.weightedMinor),
      openDeals: count(report.pipeline.openDeals),
    },
    sources,
    campaigns,
    stages,
    months,
    members,
    month: report.month,
    monthLabel: monthLabel(report.month),
    previousMonthUrl: analyticsUrl(report.period, shiftMonth(report.month, -1)),
    nextMonthUrl:
      report.month < thisMonth ? analyticsUrl(report.period, shiftMonth(report.month, 1)) : null,
    currency: report.currency,
    // Inside a <script type="application/json">: "<" escaped so no text can close the tag.
    chartsJson: JSON.stringify(charts).replace(/</g, "\\u003c"),
  };
}

/** The targets form: one row per member with the amount as the currency shows it. */
export function presentTargetRows(
  people: Array<{ id: number; name: string }>,
  targets: Map<number, number>,
  currency: string,
  typed?: Record<string, unknown>,
) {
  return people.map((p) => {
    const stored = targets.get(p.id);
    const key = `target_${p.id}`;
    return {
      id: p.id,
      name: p.name,
      field: key,
      value:
        typed && key in typed
          ? String(typed[key] ?? "")
          : stored === undefined
            ? ""
            : amountInput(stored, currency),
    };
  });
}
