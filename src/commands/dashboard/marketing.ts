import { selectRows, timeOf } from "../../db/connection";
import type { Deps } from "../../deps";
import type { SocialNetwork } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import type { TenantSql } from "../../tenancy/sql";
import { campaignResults, type CampaignResults } from "../campaigns/results";
import { statusCounts, summarise } from "../campaigns/sendStats";

/**
 * The dashboard's marketing cards (issue 15): the last campaign with what its send reached and
 * what it brought in, and the social posts scheduled. Both read a handful of rows of the business
 * on their (business_id, …) indexes; the send counts are one GROUP BY on the campaign's recipients.
 */
type Row = Record<string, unknown>;
const num = (value: unknown) => Number(value ?? 0);

export type SendResults = ReturnType<typeof summarise>;

export interface LastCampaign {
  id: number;
  name: string;
  /** Planning status (planned, active, paused, completed). */
  status: string;
  /** The send's progress; "draft" when it was never sent. */
  sendState: string;
  currency: string;
  results: CampaignResults;
  /** Counts and rates of its send; null when it has not started sending. */
  send: SendResults | null;
}

/** Send states that have recipients to count. */
const sentStates = ["sending", "paused", "completed", "cancelled"];

/**
 * The last campaign: the one whose send started last; when none was sent, the latest planned
 * campaign marked active, paused or completed (whose results are the leads and deals it brought).
 */
export async function lastCampaign(
  deps: Deps,
  ctx: TenantContext,
  sql: TenantSql,
): Promise<LastCampaign | null> {
  const [row] = await selectRows<Row>(
    deps.sequelize,
    sql.text`SELECT p.id, p.name, p.status, p.send_state, p.currency, p.actual_spend_minor
      FROM campaigns p
      WHERE ${sql.scoped("p")}
        AND (p.status IN ${["active", "paused", "completed"]} OR p.send_state IN ${sentStates})
      ORDER BY CASE WHEN p.send_started_at IS NULL THEN 1 ELSE 0 END, p.send_started_at DESC,
        p.id DESC LIMIT 1`,
  );
  if (!row) return null;
  const id = num(row.id);
  const spend = row.actual_spend_minor === null ? null : num(row.actual_spend_minor);
  const sendState = String(row.send_state);
  const [results, counts] = await Promise.all([
    campaignResults(deps, ctx, [{ id, actualSpendMinor: spend }]),
    sentStates.includes(sendState) ? statusCounts(deps, ctx, id) : Promise.resolve(null),
  ]);
  return {
    id,
    name: String(row.name),
    status: String(row.status),
    sendState,
    currency: String(row.currency),
    results: results.get(id)!,
    send: counts ? summarise(counts) : null,
  };
}

export interface ScheduledPost {
  id: number;
  text: string;
  at: Date;
  networks: SocialNetwork[];
}

/** How many posts to name on the card; the count covers all of them. */
export const nextPostsShown = 3;

/** Posts scheduled and not yet out: how many, and the next few with their networks. */
export async function scheduledPosts(
  deps: Deps,
  sql: TenantSql,
): Promise<{ count: number; next: ScheduledPost[] }> {
  const [counted, rows] = await Promise.all([
    selectRows<Row>(
      deps.sequelize,
      sql.text`SELECT COUNT(*) AS n FROM social_posts s
        WHERE ${sql.scoped("s")} AND s.status = 'scheduled'`,
    ),
    selectRows<Row>(
      deps.sequelize,
      sql.text`SELECT s.id, s.text, s.scheduled_at FROM social_posts s
        WHERE ${sql.scoped("s")} AND s.status = 'scheduled'
        ORDER BY s.scheduled_at, s.id LIMIT ${nextPostsShown}`,
    ),
  ]);
  const ids = rows.map((r) => num(r.id));
  const targets = ids.length
    ? await selectRows<Row>(
        deps.sequelize,
        sql.text`SELECT t.post_id, a.network FROM social_post_targets t
          JOIN social_accounts a ON a.id = t.social_account_id AND ${sql.scoped("a")}
          WHERE ${sql.scoped("t")} AND t.post_id IN ${ids}
          ORDER BY t.post_id, a.network`,
      )
    : [];
  return {
    count: num(counted[0]?.n),
    next: rows.map((r) => ({
      id: num(r.id),
      text: String(r.text),
      at: timeOf(r.scheduled_at) ?? new Date(0),
      networks: [
        ...new Set(
          targets
            .filter((t) => num(t.post_id) === num(r.id))
            .map((t) => String(t.network) as SocialNetwork),
        ),
      ],
    })),
  };
}
