import type { Transaction } from "sequelize";
import type { Deps } from "../../../deps";
import { fromSqlTime } from "../../../db/sqlTime";
import type { TenantContext } from "../../../tenancy/context";
import { tenantSql } from "../../../tenancy/sql";

/** The reason a campaign paused on its own when the 24-hour messaging limit was reached. */
export const messagingLimitReason = "messaging_limit";

const dayMs = 24 * 60 * 60 * 1000;

/** Pauses a sending campaign with a reason for the marketer (the channel, the template…). */
export async function pauseCampaign(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  campaignId: number,
  reason: string,
): Promise<boolean> {
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const changed = await sql.changed`
    UPDATE campaigns SET send_state = 'paused', paused_reason = ${reason.slice(0, 191)},
      resume_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("campaigns")} AND id = ${campaignId} AND send_state = 'sending'`;
  return changed > 0;
}

/**
 * Unique recipients the business's WhatsApp messages reached in the rolling 24 hours, those
 * being sent now (claimed: a claim reserves its rows, claim.ts) and those whose outcome a crash
 * lost with the request out (they may have been reached): what the messaging limit counts.
 */
export async function reachedInWindow(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  transaction?: Transaction,
) {
  const sql = tenantSql(deps, ctx, transaction);
  const since = new Date(deps.clock.nowMs() - dayMs);
  const [row] = await sql.select<{ n: number | string; oldest: unknown }>`
    SELECT COUNT(DISTINCT r.address) AS n, MIN(COALESCE(r.sent_at, r.requested_at)) AS oldest
    FROM campaign_recipients r WHERE ${sql.scoped("r")} AND r.channel = 'whatsapp'
      AND (r.sent_at > ${since} OR r.status = 'sending'
        OR (r.status = 'unknown' AND r.requested_at > ${since}))`;
  return { count: Number(row?.n ?? 0), oldest: fromSqlTime(row?.oldest) };
}

/** How many more unique recipients the messaging limit allows now. */
export async function messagingAllowance(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  limit: number,
): Promise<number> {
  return limit - (await reachedInWindow(deps, ctx)).count;
}

/**
 * Pauses the campaign until the oldest send of the window leaves it (resume_at) and queues the
 * dispatcher then, which resumes it.
 */
export async function pauseForMessagingLimit(
  deps: Deps,
  ctx: TenantContext,
  campaignId: number,
): Promise<void> {
  const { oldest } = await reachedInWindow(deps, ctx);
  const now = deps.clock.nowMs();
  const resumeAt = new Date(Math.max(now + 60_000, (oldest?.getTime() ?? now) + dayMs + 1000));
  const sql = tenantSql(deps, ctx);
  const changed = await sql.changed`
    UPDATE campaigns SET send_state = 'paused', paused_reason = ${messagingLimitReason},
      resume_at = ${resumeAt}, updated_at = ${deps.clock.now()}
    WHERE ${sql.scoped("campaigns")} AND id = ${campaignId} AND send_state = 'sending'`;
  if (changed === 0) return;
  await deps.jobs.dispatchOwed(
    "campaign-dispatch",
    { businessId: ctx.business.id, userId: null, campaignId },
    { jobId: `cd-${campaignId}-resume-${resumeAt.getTime()}`, runAt: resumeAt },
  );
}

/**
 * Claimed rows still 'sending' past their lease: their worker died or stalled. A row whose request
 * was out (requested_at) may have been taken by the provider — 'unknown', never sent again; a row
 * that was only claimed never left — back to the queue, its attempt not counted.
 */
export async function sweepLostSends(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  campaignId: number,
): Promise<number> {
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const lost = await sql.changed`
    UPDATE campaign_recipients SET status = 'unknown', error_code = 'lost',
      error_reason = 'The send was interrupted after its request may have left; not sent again.',
      next_attempt_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("campaign_recipients")} AND campaign_id = ${campaignId}
      AND status = 'sending' AND next_attempt_at < ${now} AND requested_at IS NOT NULL`;
  const requeued = await sql.changed`
    UPDATE campaign_recipients SET status = 'queued', error_code = NULL,
      attempts = attempts - 1, next_attempt_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("campaign_recipients")} AND campaign_id = ${campaignId}
      AND status = 'sending' AND next_attempt_at < ${now} AND requested_at IS NULL`;
  return lost + requeued;
}
