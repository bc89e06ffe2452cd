import type { Sequelize } from "sequelize";
import type { Deps } from "../../deps";
import type { Campaign } from "../../models/Campaign";
import type { Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

/**
 * What a campaign brought in, worked out from the leads that name it:
 * - generated leads: leads whose campaign_name is the campaign's name (any case) or whose
 *   utm_campaign is its utm_campaign (any case), each lead counted once;
 * - won deals: deals whose lead_id is one of those leads and whose stage is a won one;
 * - attributed revenue: the amounts of those won deals in the campaign's currency (won deals in
 *   another currency are counted apart, never added as if they were the same money);
 * - ROI = (revenue − actual spend) / actual spend; cost per lead = actual spend / leads.
 */
export interface CampaignResults {
  leads: number;
  wonDeals: number;
  revenueMinor: number;
  /** Won deals in a currency other than the campaign's: not in revenueMinor. */
  otherCurrencyWonDeals: number;
  /** A ratio (0.5 is +50%); null without an actual spend. */
  roi: number | null;
  /** In minor units, rounded; null without an actual spend or without leads. */
  costPerLeadMinor: number | null;
}

export const noResults = (): Omit<CampaignResults, "roi" | "costPerLeadMinor"> => ({
  leads: 0,
  wonDeals: 0,
  revenueMinor: 0,
  otherCurrencyWonDeals: 0,
});

/** ROI and cost per lead from the counts and the entered actual spend. */
export function withRatios(
  counts: Omit<CampaignResults, "roi" | "costPerLeadMinor">,
  actualSpendMinor: number | null,
): CampaignResults {
  const spend = actualSpendMinor ?? 0;
  return {
    ...counts,
    roi: spend > 0 ? (counts.revenueMinor - spend) / spend : null,
    costPerLeadMinor: spend > 0 && counts.leads > 0 ? Math.round(spend / counts.leads) : null,
  };
}

/**
 * The case-insensitive comparison of two text columns: MariaDB's utf8mb4_unicode_ci already
 * compares so (and uses the index); SQLite needs NOCASE, which its indexes on leads carry
 * (migration 20261224000100).
 */
export function caseless(sequelize: Sequelize): string {
  return sequelize.getDialect() === "sqlite" ? " COLLATE NOCASE" : "";
}

interface Row {
  campaign_id: number;
  leads: number | string;
  won_deals: number | string;
  revenue: number | string | null;
  other_won: number | string;
}

/**
 * The counts of several campaigns in one statement. A lead matched by both its campaign name and
 * its utm_campaign is one pair after the UNION, so it is never counted twice. Scoped like every
 * tenant query: a sales member counts only their own leads and deals.
 */
export async function campaignCounts(
  deps: Pick<Deps, "sequelize">,
  scoped: Scoped,
  campaignIds: number[],
  range?: { from: Date; to: Date },
): Promise<Map<number, Omit<CampaignResults, "roi" | "costPerLeadMinor">>> {
  const result = new Map<number, Omit<CampaignResults, "roi" | "costPerLeadMinor">>();
  if (campaignIds.length === 0) return result;
  const sql = tenantSql(deps, scoped);
  const nocase = sql.raw(caseless(deps.sequelize));
  // Leads created in the range only (analytics' period); all of them otherwise.
  const byName = range
    ? sql.fragment`l1.created_at >= ${range.from} AND l1.created_at < ${range.to}`
    : sql.fragment`1 = 1`;
  const byUtm = range
    ? sql.fragment`l2.created_at >= ${range.from} AND l2.created_at < ${range.to}`
    : sql.fragment`1 = 1`;
  const rows = await sql.select<Row>`
    SELECT m.campaign_id AS campaign_id,
      COUNT(DISTINCT m.lead_id) AS leads,
      COUNT(DISTINCT CASE WHEN s.kind = 'won' THEN d.id END) AS won_deals,
      SUM(CASE WHEN s.kind = 'won' AND d.currency = m.currency THEN d.amount_minor ELSE 0 END)
        AS revenue,
      COUNT(DISTINCT CASE WHEN s.kind = 'won' AND d.currency <> m.currency THEN d.id END)
        AS other_won
    FROM (
      SELECT c1.id AS campaign_id, c1.currency AS currency, l1.id AS lead_id
      FROM campaigns c1
      JOIN leads l1 ON ${sql.scoped("l1")} AND l1.campaign_name = c1.name${nocase}
      WHERE ${sql.scoped("c1")} AND c1.id IN ${campaignIds} AND ${byName}
      UNION
      SELECT c2.id AS campaign_id, c2.currency AS currency, l2.id AS lead_id
      FROM campaigns c2
      JOIN leads l2 ON ${sql.scoped("l2")} AND l2.utm_campaign = c2.utm_campaign${nocase}
      WHERE ${sql.scoped("c2")} AND c2.id IN ${campaignIds} AND ${byUtm}
    ) m
    LEFT JOIN deals d ON ${sql.scoped("d")} AND d.lead_id = m.lead_id
    LEFT JOIN pipeline_stages s ON ${sql.scoped("s")} AND s.id = d.stage_id
    GROUP BY m.campaign_id`;
  for (const row of rows)
    result.set(Number(row.campaign_id), {
      leads: Number(row.leads),
      wonDeals: Number(row.won_deals),
      revenueMinor: Number(row.revenue ?? 0),
      otherCurrencyWonDeals: Number(row.other_won),
    });
  return result;
}

/** Each campaign's results (ROI and cost per lead from its entered actual spend). */
export async function campaignResults(
  deps: Pick<Deps, "sequelize">,
  scoped: Scoped,
  campaigns: Array<Pick<Campaign, "id" | "actualSpendMinor">>,
): Promise<Map<number, CampaignResults>> {
  const counts = await campaignCounts(
    deps,
    scoped,
    campaigns.map((c) => c.id),
  );
  return new Map(
    campaigns.map((c) => [c.id, withRatios(counts.get(c.id) ?? noResults(), c.actualSpendMinor)]),
  );
}
