import type { Deps } from "../../deps";
import type { RecipientStatus } from "../../models";
import type { Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

/** A status a provider reports for a message it accepted. */
export type ReportedStatus = "sent" | "delivered" | "read" | "failed" | "bounced";

export interface RecipientStatusReport {
  /** The provider's message id (WhatsApp wamid, e-mail Message-ID) the send recorded. */
  providerMessageId: string;
  status: ReportedStatus;
  /** When the provider says it happened. */
  at: Date;
  errorCode?: string | null;
  errorReason?: string | null;
}

/**
 * "applied": the report is merged into the row (a duplicate or older status merges to no change);
 * "not_found": no recipient has this id (yet) — a status can overtake the send's own record of the
 * id by a few milliseconds, so callers answer the provider with a retryable error or retry later.
 */
export type RecipientStatusOutcome = "applied" | "not_found";

/**
 * Statuses only move forward: queued < sending = unknown < sent < delivered < read < failed =
 * bounced. Failed is final and outranks everything, so the final status is the same in whatever
 * order (and how many times) the events arrive — counters derived from rows stay exact.
 */
export const statusRank: Readonly<Record<RecipientStatus, number>> = {
  queued: 0,
  sending: 1,
  unknown: 1,
  opted_out: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
  bounced: 5,
};

/** SQL CASE giving the rank of the row's current status (statusRank, spelled in SQL). */
const rankOfColumn = `CASE status ${Object.entries(statusRank)
  .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
  .join(" ")} ELSE 0 END`;

/**
 * Applies a provider's status report to the recipient row with that message id, in one atomic
 * UPDATE: the status moves forward only; each timestamp keeps the earliest time reported for it
 * (read implies delivered, so a read without delivered fills delivered_at too); a failure records
 * its code and reason. Duplicates and any order give the same row.
 */
export async function applyRecipientStatus(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: Scoped,
  report: RecipientStatusReport,
): Promise<RecipientStatusOutcome> {
  const sql = tenantSql(deps, ctx);
  const { status, at } = report;
  const flag = (on: boolean) => (on ? 1 : 0);
  const delivered = flag(status === "delivered" || status === "read");
  const read = flag(status === "read");
  const failed = flag(status === "failed" || status === "bounced");
  // MariaDB evaluates SET assignments left to right with the values already assigned (SQLite
  // with the old ones): the error columns read failed_at before it is assigned, and nothing reads
  // status after it.
  const changed = await sql.changed`
    UPDATE campaign_recipients SET
      sent_at = COALESCE(sent_at, ${at}),
      delivered_at = CASE WHEN ${delivered} = 1 AND (delivered_at IS NULL OR delivered_at > ${at})
        THEN ${at} ELSE delivered_at END,
      read_at = CASE WHEN ${read} = 1 AND (read_at IS NULL OR read_at > ${at})
        THEN ${at} ELSE read_at END,
      error_code = CASE WHEN ${failed} = 1 AND (failed_at IS NULL OR failed_at > ${at})
        THEN ${report.errorCode ?? null} ELSE error_code END,
      error_reason = CASE WHEN ${failed} = 1 AND (failed_at IS NULL OR failed_at > ${at})
        THEN ${report.errorReason ?? null} ELSE error_reason END,
      retryable = CASE WHEN ${failed} = 1 THEN 0 ELSE retryable END,
      failed_at = CASE WHEN ${failed} = 1 AND (failed_at IS NULL OR failed_at > ${at})
        THEN ${at} ELSE failed_at END,
      status = CASE WHEN ${sql.raw(rankOfColumn)} < ${statusRank[status]} THEN ${status}
        ELSE status END,
      updated_at = ${deps.clock.now()}
    WHERE ${sql.scoped("campaign_recipients")}
      AND provider_message_id = ${report.providerMessageId}`;
  if (changed > 0) return "applied";
  // MariaDB counts changed rows only: an exact duplicate changes nothing but did find its row.
  const found = await sql.select<{ id: number }>`
    SELECT id FROM campaign_recipients WHERE ${sql.scoped("campaign_recipients")}
      AND provider_message_id = ${report.providerMessageId}`;
  return found.length > 0 ? "applied" : "not_found";
}

/** The campaigns whose recipients sent these provider message ids (to signal their live pages). */
export async function campaignsOfMessages(
  deps: Pick<Deps, "sequelize">,
  ctx: Scoped,
  providerMessageIds: readonly string[],
): Promise<number[]> {
  if (providerMessageIds.length === 0) return [];
  const sql = tenantSql(deps, ctx);
  const rows = await sql.select<{ campaign_id: number | string }>`
    SELECT DISTINCT campaign_id FROM campaign_recipients WHERE ${sql.scoped("campaign_recipients")}
      AND provider_message_id IN ${[...new Set(providerMessageIds)]}`;
  return rows.map((r) => Number(r.campaign_id));
}
