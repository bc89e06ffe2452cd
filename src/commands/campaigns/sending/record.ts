import type { Transaction } from "sequelize";
import type { Deps } from "../../../deps";
import type { Campaign, CampaignRecipient } from "../../../models";
import type { TenantContext } from "../../../tenancy/context";
import { signalCampaign } from "../../../notifications/live";
import { suppressBouncedRecipient } from "../suppression";
import { tenantSql } from "../../../tenancy/sql";
import type { SendFailure, SendOutcome } from "./channel";

/** Tries a recipient gets for transient errors (throughput refusals get more: they pass). */
export const maxAttempts = 5;
export const maxThroughputAttempts = 12;

/** Backoff before the next try: 2 s, 4 s, 8 s … at most a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(1, attempts));
}

export interface Sent {
  row: CampaignRecipient;
  outcome: SendOutcome;
}

/**
 * Records a group's outcomes: sent rows (one UPDATE, each with its provider id) and their timeline
 * entries in one transaction, then each failure. Every UPDATE requires the row still 'sending':
 * a row a sweep took for lost meanwhile stays 'unknown'.
 */
export async function recordOutcomes(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  campaign: Campaign,
  results: Sent[],
): Promise<{ authFailure: SendFailure | null }> {
  const now = deps.clock.now();
  const sent = results.filter(
    (r): r is { row: CampaignRecipient; outcome: { ok: true; providerMessageId: string } } =>
      r.outcome.ok,
  );
  let authFailure: SendFailure | null = null;
  await deps.sequelize.transaction(async (transaction) => {
    if (sent.length) await recordSent(deps, ctx, campaign, sent, now, transaction);
    const sql = tenantSql(deps, ctx, transaction);
    for (const { row, outcome } of results) {
      if (outcome.ok) continue;
      const { failure } = outcome;
      const attempts = row.attempts;
      const limit = failure.kind === "throughput" ? maxThroughputAttempts : maxAttempts;
      const code = failure.code.slice(0, 32);
      const reason = failure.reason.slice(0, 500);
      if (failure.kind === "auth") authFailure = failure;
      if (failure.kind === "unknown") {
        await sql.changed`
          UPDATE campaign_recipients SET status = 'unknown', error_code = ${code},
            error_reason = ${reason}, next_attempt_at = NULL, updated_at = ${now}
          WHERE ${sql.scoped("campaign_recipients")} AND id = ${row.id} AND status = 'sending'`;
      } else if (failure.kind === "bounced") {
        // As a DSN would mark it (applyRecipientStatus): final, never retried; and the address
        // is suppressed for later e-mail campaigns.
        const bounced = await sql.changed`
          UPDATE campaign_recipients SET status = 'bounced', error_code = ${code},
            error_reason = ${reason}, retryable = 0, failed_at = ${now}, next_attempt_at = NULL,
            updated_at = ${now}
          WHERE ${sql.scoped("campaign_recipients")} AND id = ${row.id} AND status = 'sending'`;
        if (bounced > 0) await suppressBouncedRecipient(deps, ctx, row.id, reason, transaction);
      } else if (failure.kind === "permanent" || attempts >= limit) {
        await sql.changed`
          UPDATE campaign_recipients SET status = 'failed', error_code = ${code},
            error_reason = ${reason}, retryable = ${failure.kind !== "permanent"},
            failed_at = ${now}, next_attempt_at = NULL, updated_at = ${now}
          WHERE ${sql.scoped("campaign_recipients")} AND id = ${row.id} AND status = 'sending'`;
      } else {
        // Back to the queue; an auth refusal does not use up a try (the channel was at fault).
        const retryAt = new Date(
          now.getTime() + (failure.kind === "auth" ? 0 : backoffMs(attempts)),
        );
        await sql.changed`
          UPDATE campaign_recipients SET status = 'queued', error_code = ${code},
            error_reason = ${reason}, retryable = 1, next_attempt_at = ${retryAt},
            attempts = attempts - ${failure.kind === "auth" ? 1 : 0}, updated_at = ${now}
          WHERE ${sql.scoped("campaign_recipients")} AND id = ${row.id} AND status = 'sending'`;
      }
    }
  });
  // Open results pages read the counts again (not awaited: a page is no reason to slow sends).
  void signalCampaign(ctx.business.id, campaign.id);
  return { authFailure };
}

async function recordSent(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  campaign: Campaign,
  sent: Array<{ row: CampaignRecipient; outcome: { ok: true; providerMessageId: string } }>,
  now: Date,
  transaction: Transaction,
): Promise<void> {
  const sql = tenantSql(deps, ctx, transaction);
  const ids = sent.map((s) => s.row.id);
  const byId = sent
    .map((s) => `WHEN ${Number(s.row.id)} THEN ${sql.literals.value(s.outcome.providerMessageId)}`)
    .join(" ");
  await sql.changed`
    UPDATE campaign_recipients SET status = 'sent',
      provider_message_id = ${sql.raw(`CASE id ${byId} END`)},
      sent_at = ${now}, error_code = NULL, error_reason = NULL, retryable = 0,
      next_attempt_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("campaign_recipients")} AND id IN ${ids} AND status = 'sending'`;
  // Only rows this UPDATE moved get an entry: a row swept to unknown meanwhile is not "sent".
  const moved = await sql.select<{ id: number; customer_id: number }>`
    SELECT id, customer_id FROM campaign_recipients r WHERE ${sql.scoped("r")}
      AND r.id IN ${ids} AND r.status = 'sent' AND r.sent_at = ${now}`;
  const details = JSON.stringify({
    campaignId: campaign.id,
    campaignName: campaign.name,
    channel: campaign.channel,
  });
  await sql.insertRows(
    "timeline_events",
    ["customer_id", "actor_id", "kind", "details", "created_at"],
    moved.map((r) => [Number(r.customer_id), null, "campaign_message_sent", details, now]),
  );
}
