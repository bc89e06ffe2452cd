import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { fromSqlTime } from "../../db/sqlTime";
import { recipientStatuses, type RecipientStatus } from "../../models/CampaignRecipient";
import type { Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

export type StatusCounts = Record<RecipientStatus, number> & { total: number };

/**
 * A campaign's recipients by status, counted from the rows (GROUP BY on the campaign's status
 * index): never a kept counter that could drift from them.
 */
export async function statusCounts(
  deps: Pick<Deps, "sequelize">,
  ctx: Scoped,
  campaignId: number,
  transaction?: Transaction,
): Promise<StatusCounts> {
  const sql = tenantSql(deps, ctx, transaction);
  const rows = await sql.select<{ status: RecipientStatus; n: number | string }>`
    SELECT r.status, COUNT(*) AS n FROM campaign_recipients r
    WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId} GROUP BY r.status`;
  const counts = Object.fromEntries(recipientStatuses.map((s) => [s, 0])) as StatusCounts;
  counts.total = 0;
  for (const row of rows) {
    counts[row.status] = Number(row.n);
    counts.total += Number(row.n);
  }
  return counts;
}

/** What the results page shows: reached = sent or further; rates of the reached. */
export function summarise(counts: StatusCounts) {
  const reached = counts.sent + counts.delivered + counts.read;
  const delivered = counts.delivered + counts.read;
  const done = counts.total - counts.queued - counts.sending;
  const pct = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 1000) / 10 : 0);
  return {
    ...counts,
    reached,
    deliveredOrRead: delivered,
    done,
    progressPct: pct(done, counts.total),
    deliveryRate: pct(delivered, reached),
    readRate: pct(counts.read, reached),
    failureRate: pct(counts.failed + counts.bounced, counts.total),
  };
}

/** Failures by code and reason, most frequent first. */
export async function failureReasons(
  deps: Pick<Deps, "sequelize">,
  ctx: Scoped,
  campaignId: number,
) {
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{
    error_code: string | null;
    error_reason: string | null;
    retryable: number | boolean;
    n: number | string;
  }>`
    SELECT r.error_code, r.error_reason, r.retryable, COUNT(*) AS n FROM campaign_recipients r
    WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId}
      AND r.status IN ('failed', 'bounced', 'unknown')
    GROUP BY r.error_code, r.error_reason, r.retryable ORDER BY n DESC LIMIT 20`;
  return rows.map((r) => ({
    code: r.error_code ?? "",
    reason: r.error_reason ?? "",
    retryable: Boolean(Number(r.retryable)),
    count: Number(r.n),
  }));
}

/**
 * Sends, deliveries and reads per minute (or per hour for longer sends) for the chart: one
 * statement per kind over the campaign's rows, bucketed in JavaScript (portable).
 */
export async function timeSeries(deps: Pick<Deps, "sequelize">, ctx: Scoped, campaignId: number) {
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ sent_at: unknown; delivered_at: unknown; read_at: unknown }>`
    SELECT r.sent_at, r.delivered_at, r.read_at FROM campaign_recipients r
    WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId} AND r.sent_at IS NOT NULL`;
  const times = rows.map((r) => ({
    sent: fromSqlTime(r.sent_at)?.getTime() ?? null,
    delivered: fromSqlTime(r.delivered_at)?.getTime() ?? null,
    read: fromSqlTime(r.read_at)?.getTime() ?? null,
  }));
  const all = times.flatMap((t) => [t.sent, t.delivered, t.read]).filter((t): t is number => !!t);
  if (all.length === 0) return { bucketMs: 60_000, labels: [], sent: [], delivered: [], read: [] };
  const first = Math.min(...all);
  const last = Math.max(...all);
  const bucketMs = last - first > 6 * 60 * 60 * 1000 ? 60 * 60 * 1000 : 60_000;
  const start = Math.floor(first / bucketMs) * bucketMs;
  const n = Math.min(500, Math.floor((last - start) / bucketMs) + 1);
  const series = {
    sent: new Array<number>(n).fill(0),
    delivered: new Array<number>(n).fill(0),
    read: new Array<number>(n).fill(0),
  };
  const put = (list: number[], t: number | null) => {
    if (t === null) return;
    const i = Math.min(n - 1, Math.floor((t - start) / bucketMs));
    list[i] = (list[i] ?? 0) + 1;
  };
  for (const t of times) {
    put(series.sent, t.sent);
    put(series.delivered, t.delivered);
    put(series.read, t.read);
  }
  const labels = series.sent.map((_, i) => new Date(start + i * bucketMs).toISOString());
  return { bucketMs, labels, ...series };
}
