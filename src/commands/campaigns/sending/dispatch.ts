import type { Deps } from "../../../deps";
import type { Campaign } from "../../../models";
import type { TenantContext } from "../../../tenancy/context";
import { tenantWhere } from "../../../tenancy/scope";
import { tenantSql } from "../../../tenancy/sql";
import { campaignCompleted } from "../../activityEvents";
import { freezeAudience } from "./audience";
import { sendBatchSize } from "./batch";
import { messagingLimitReason, sweepLostSends } from "./control";

export type DispatchOutcome =
  "not_due" | "stopped" | "completed" | "dispatched" | "started" | "resumed";

const payloadOf = (ctx: TenantContext, campaignId: number) => ({
  businessId: ctx.business.id,
  userId: null,
  campaignId,
});

/** Queues the campaign's dispatcher at `at` (deterministic id: a second queueing is harmless). */
export async function queueDispatch(
  deps: Pick<Deps, "jobs">,
  ctx: TenantContext,
  campaignId: number,
  at: Date,
  tickMs: number,
): Promise<void> {
  const bucket = Math.floor(at.getTime() / tickMs);
  await deps.jobs.dispatchOwed("campaign-dispatch", payloadOf(ctx, campaignId), {
    jobId: `cd-${campaignId}-${bucket}`,
    runAt: at,
  });
}

/**
 * Moves a draft or scheduled campaign to sending and freezes its audience, in one transaction:
 * the state UPDATE requires the campaign still draft/scheduled, so two starts freeze once.
 */
export async function startSending(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
): Promise<number | null> {
  return deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, ctx, transaction);
    const now = deps.clock.now();
    const started = await sql.changed`
      UPDATE campaigns SET send_state = 'sending', send_started_at = ${now},
        paused_reason = NULL, resume_at = NULL, updated_at = ${now}
      WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id}
        AND send_state IN ('draft', 'scheduled')`;
    if (started === 0) return null;
    return freezeAudience(deps, ctx, campaign, transaction);
  });
}

/** Counts of a campaign's rows by what the dispatcher must do about them. */
async function pendingOf(deps: Deps, ctx: TenantContext, campaignId: number) {
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const [row] = await sql.select<Record<string, number | string | null>>`
    SELECT SUM(CASE WHEN r.status = 'queued' THEN 1 ELSE 0 END) AS queued,
      SUM(CASE WHEN r.status = 'sending' THEN 1 ELSE 0 END) AS sending
    FROM campaign_recipients r WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId}
      AND r.status IN ('queued', 'sending')`;
  const chunks = await sql.select<{ from_id: number | string }>`
    SELECT DISTINCT r.id - (r.id % ${sendBatchSize}) AS from_id
    FROM campaign_recipients r WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId}
      AND r.status = 'queued' AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ${now})`;
  return {
    queued: Number(row?.queued ?? 0),
    sending: Number(row?.sending ?? 0),
    dueChunks: chunks.map((c) => Number(c.from_id)),
  };
}

/**
 * One tick of a campaign's dispatcher. A scheduled campaign that is due starts (its audience
 * frozen); one paused by the messaging limit resumes once resume_at has passed; a sending one
 * gets its lost sends swept to unknown, a batch job for every id range with due rows (one job per
 * range at a time: its id is the range's), and completes when no row is queued or being sent.
 * While sending, the next tick is queued.
 */
export async function runCampaignDispatch(
  deps: Deps,
  ctx: TenantContext,
  campaignId: number,
): Promise<DispatchOutcome> {
  const campaign = await deps.models.Campaign.findOne({
    where: tenantWhere(ctx, deps.models.Campaign, { id: campaignId }, { wholeBusiness: true }),
  });
  if (!campaign) return "stopped";
  const now = deps.clock.now();
  const tickMs = deps.config.CAMPAIGN_TICK_MS;
  let outcome: DispatchOutcome = "dispatched";
  if (campaign.sendState === "scheduled") {
    if (campaign.scheduledAt && campaign.scheduledAt > now) {
      await queueDispatch(deps, ctx, campaign.id, campaign.scheduledAt, tickMs);
      return "not_due";
    }
    await startSending(deps, ctx, campaign);
    outcome = "started";
  } else if (campaign.sendState === "paused") {
    if (campaign.pausedReason !== messagingLimitReason || !campaign.resumeAt) return "stopped";
    if (campaign.resumeAt > now) return "not_due";
    const sql = tenantSql(deps, ctx);
    const resumed = await sql.changed`
      UPDATE campaigns SET send_state = 'sending', paused_reason = NULL, resume_at = NULL,
        updated_at = ${now}
      WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id} AND send_state = 'paused'
        AND paused_reason = ${messagingLimitReason}`;
    if (resumed === 0) return "stopped";
    outcome = "resumed";
  } else if (campaign.sendState !== "sending") return "stopped";

  await sweepLostSends(deps, ctx, campaign.id);
  const pending = await pendingOf(deps, ctx, campaign.id);
  if (pending.queued === 0 && pending.sending === 0) {
    // The activity feed and live dashboards hear of it once: only the tick that completed it,
    // in the same transaction (a crash between the two would lose the feed entry for good).
    await deps.sequelize.transaction(async (transaction) => {
      const sql = tenantSql(deps, ctx, transaction);
      const completed = await sql.changed`
        UPDATE campaigns SET send_state = 'completed', send_completed_at = ${now},
          updated_at = ${now}
        WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id} AND send_state = 'sending'`;
      if (completed === 1) await campaignCompleted(deps, ctx, campaign, transaction);
    });
    return "completed";
  }
  for (const fromId of pending.dueChunks)
    await deps.jobs.dispatchOwed(
      "campaign-send-batch",
      { ...payloadOf(ctx, campaign.id), fromId },
      { jobId: `cb-${campaign.id}-${fromId}` },
    );
  await queueDispatch(deps, ctx, campaign.id, new Date(now.getTime() + tickMs), tickMs);
  return outcome;
}
