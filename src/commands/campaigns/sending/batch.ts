import { runAgainOnConflict } from "../../../db/runAgain";
import { fromSqlTime } from "../../../db/sqlTime";
import type { Deps } from "../../../deps";
import type { Campaign, CampaignRecipient, Customer, MessageTemplate } from "../../../models";
import type { TenantContext } from "../../../tenancy/context";
import { tenantWhere } from "../../../tenancy/scope";
import { tenantSql } from "../../../tenancy/sql";
import {
  isUnavailable,
  type ChannelSenders,
  type PreparedSender,
  type SendOutcome,
} from "./channel";
import { claimGroup, keepClaim, markRequested, sendBatchSize, unmarkRequested } from "./claim";
import { pauseCampaign, pauseForMessagingLimit } from "./control";
import { sendRateLimiterFor, type SendRateLimiter } from "./limiter";
import { recordOutcomes, type Sent } from "./record";
import { channelSenders } from "./senders";

export { sendBatchSize } from "./claim";

/** Longest wait for a rate slot before the batch leaves the rest to a later run. */
const maxSlotWaitMs = 5000;

export type BatchOutcome =
  /** No queued row of the range is due: done, or its retries wait for a later dispatch. */
  | "drained"
  /** The campaign is no longer sending (paused, cancelled, completed). */
  | "stopped"
  /** The process is shutting down: the batch stopped between groups. */
  | "interrupted";

export interface BatchOptions {
  senders?: ChannelSenders;
  limiter?: SendRateLimiter;
  signal?: AbortSignal;
}

const sleep = (deps: Pick<Deps, "clock">, ms: number) =>
  ms <= 0
    ? Promise.resolve()
    : new Promise<void>((resolve) => deps.clock.at(deps.clock.nowMs() + ms, resolve));

async function sendState(deps: Deps, ctx: TenantContext, campaignId: number) {
  const row = await deps.models.Campaign.findOne({
    where: tenantWhere(ctx, deps.models.Campaign, { id: campaignId }, { wholeBusiness: true }),
    attributes: ["sendState"],
  });
  return row?.sendState ?? null;
}

/** Longest wait for a retry of the range inside one run of its batch job. */
const maxRetryWaitMs = 15_000;

/** When the range's next queued retry falls due (epoch ms), or null with none waiting. */
async function nextRetryAt(
  deps: Deps,
  ctx: TenantContext,
  campaignId: number,
  fromId: number,
): Promise<number | null> {
  const sql = tenantSql(deps, ctx);
  const [row] = await sql.select<{ next: unknown }>`
    SELECT MIN(r.next_attempt_at) AS next FROM campaign_recipients r
    WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId} AND r.status = 'queued'
      AND r.id >= ${fromId} AND r.id < ${fromId + sendBatchSize}`;
  return fromSqlTime(row?.next)?.getTime() ?? null;
}

/**
 * A claimed group goes out in small waves: the rows whose slots fall within `waveSpanMs` of the
 * wave's first (at most `waveMax`) are marked as requested in one UPDATE just before that first
 * slot (`markLeadMs` ahead, the UPDATE's own round trip), then each leaves at its slot. After a
 * crash only marked rows can be 'unknown'; the rest of the group was never sent and is queued
 * again. The span bounds how many rows may be marked without their request out yet.
 */
const waveSpanMs = 50;
const waveMax = 8;
const markLeadMs = 5;

const deletedCustomer: SendOutcome = {
  ok: false,
  failure: { code: "deleted", reason: "The customer was deleted.", kind: "permanent" },
};

/** Reserves the slot of one send on the number's schedule: when it may leave (epoch ms). */
async function slotFor(
  deps: Pick<Deps, "clock">,
  limiter: SendRateLimiter,
  prepared: PreparedSender,
  perSecond: number | null,
): Promise<number> {
  if (!perSecond) return deps.clock.nowMs();
  let wait = await limiter.reserve(prepared.rateKey, perSecond, maxSlotWaitMs);
  while (wait === null) {
    await sleep(deps, 200);
    wait = await limiter.reserve(prepared.rateKey, perSecond, maxSlotWaitMs);
  }
  return deps.clock.nowMs() + wait;
}

/**
 * Sends one claimed group to its customers (read as the whole business's: the campaign's scope):
 * each row gets its slot of the number's schedule, then goes out in its wave. Rows another claim
 * took over meanwhile (recovered after their lease) are left out.
 */
async function sendGroup(
  deps: Deps,
  ctx: TenantContext,
  prepared: PreparedSender,
  limiter: SendRateLimiter,
  message: { campaign: Campaign; template: MessageTemplate },
  rows: CampaignRecipient[],
): Promise<Sent[]> {
  const found = await deps.models.Customer.findAll({
    where: tenantWhere(
      ctx,
      deps.models.Customer,
      { id: rows.map((r) => r.customerId) },
      { wholeBusiness: true },
    ),
    attributes: ["id", "name", "email", "phoneE164", "whatsappE164"],
  });
  const customers = new Map(found.map((c) => [c.id, c]));
  const perSecond = prepared.perSecond
    ? prepared.perSecond * deps.config.CAMPAIGN_RATE_HEADROOM
    : null;
  const results: Sent[] = [];
  const slots: Array<{ row: CampaignRecipient; customer: Customer; at: number }> = [];
  for (const row of rows) {
    const customer = customers.get(row.customerId);
    if (!customer) results.push({ row, outcome: deletedCustomer });
    else slots.push({ row, customer, at: await slotFor(deps, limiter, prepared, perSecond) });
  }
  // A send that wakes past its slot (a slow mark UPDATE, a busy event loop) would leave together
  // with later slots' sends and overfill their second at the provider: beyond half the headroom's
  // slack it takes a fresh slot instead (bench:campaigns, 2026-12-02: 1,023 × 130429 at 1,000/s).
  const lateMs = perSecond ? Math.max(1, (1 - deps.config.CAMPAIGN_RATE_HEADROOM) * 500) : 0;
  const sendAt = async (
    row: CampaignRecipient,
    customer: Customer,
    at: number,
  ): Promise<Sent | null> => {
    await sleep(deps, at - deps.clock.nowMs());
    if (perSecond && deps.clock.nowMs() - at > lateMs) {
      try {
        const fresh = await slotFor(deps, limiter, prepared, perSecond);
        // A wait longer than a wave gives the mark back meanwhile, so that the rows marked but
        // not yet requested stay bounded by the waves (a crash makes only those 'unknown').
        if (fresh - deps.clock.nowMs() > waveSpanMs) {
          if (!(await unmarkRequested(deps, ctx, row))) return null;
          await sleep(deps, fresh - markLeadMs - deps.clock.nowMs());
          if (!(await markRequested(deps, ctx, [row])).has(row.id)) return null;
        }
        await sleep(deps, fresh - deps.clock.nowMs());
      } catch (error) {
        // Redis or the database failed before this request left: it goes back to the queue, and
        // the group's other outcomes are still recorded.
        const reason = `No send slot: ${error instanceof Error ? error.message : String(error)}`;
        return {
          row,
          outcome: { ok: false, failure: { code: "slot", reason, kind: "transient" } },
        };
      }
    }
    try {
      return {
        row,
        outcome: await prepared.send(row, message.campaign, message.template, customer),
      };
    } catch (error) {
      // A sender that throws broke before or during its request: the outcome is not known.
      const reason = error instanceof Error ? error.message : String(error);
      return { row, outcome: { ok: false, failure: { code: "error", reason, kind: "unknown" } } };
    }
  };
  const pending: Array<Promise<Sent | null>> = [];
  for (let i = 0; i < slots.length;) {
    const first = slots[i]!.at;
    let end = i + 1;
    while (end < slots.length && end - i < waveMax && slots[end]!.at - first <= waveSpanMs)
      end += 1;
    const wave = slots.slice(i, end);
    i = end;
    await sleep(deps, first - markLeadMs - deps.clock.nowMs());
    const marked = await markRequested(
      deps,
      ctx,
      wave.map((w) => w.row),
    );
    for (const { row, customer, at } of wave)
      if (marked.has(row.id)) pending.push(sendAt(row, customer, at));
  }
  for (const sent of await Promise.all(pending)) if (sent) results.push(sent);
  return results;
}

/**
 * Sends a batch (one id range) of a sending campaign, group by group, until no queued row of the
 * range is due, the campaign stops sending, or the process shuts down. Before each group: the
 * campaign's state, and the messaging limit when the number has one (the campaign pauses with
 * resume_at when it is reached).
 */
export async function runSendBatch(
  deps: Deps,
  ctx: TenantContext,
  input: { campaignId: number; fromId: number },
  options: BatchOptions = {},
): Promise<BatchOutcome> {
  const { models } = deps;
  const campaign = await models.Campaign.findOne({
    where: tenantWhere(ctx, models.Campaign, { id: input.campaignId }, { wholeBusiness: true }),
  });
  if (!campaign || campaign.sendState !== "sending") return "stopped";
  const template = campaign.templateId
    ? await models.MessageTemplate.findOne({
        where: tenantWhere(ctx, models.MessageTemplate, { id: campaign.templateId }),
      })
    : null;
  if (!template) {
    await pauseCampaign(deps, ctx, campaign.id, "The campaign's template was deleted.");
    return "stopped";
  }
  const channel = campaign.channel === "email" ? "email" : "whatsapp";
  const prepared = await (options.senders ?? channelSenders)[channel](deps, ctx, campaign);
  if (isUnavailable(prepared)) {
    await pauseCampaign(deps, ctx, campaign.id, prepared.unavailable);
    return "stopped";
  }
  const limiter = options.limiter ?? sendRateLimiterFor(deps.config, deps.clock);
  const groupSize = deps.config.CAMPAIGN_SEND_GROUP;
  for (;;) {
    if (options.signal?.aborted) return "interrupted";
    if ((await sendState(deps, ctx, campaign.id)) !== "sending") return "stopped";
    const claim = await claimGroup(deps, ctx, {
      campaignId: campaign.id,
      fromId: input.fromId,
      limit: groupSize,
      messagingLimit: prepared.messagingLimit,
    });
    if (claim.limitReached) {
      await pauseForMessagingLimit(deps, ctx, campaign.id);
      return "stopped";
    }
    const { rows } = claim;
    if (rows.length === 0) {
      // Retries due soon are waited for here, so a range needs few runs of its job.
      const next = await nextRetryAt(deps, ctx, campaign.id, input.fromId);
      if (next === null || next - deps.clock.nowMs() > maxRetryWaitMs) return "drained";
      await sleep(deps, next - deps.clock.nowMs());
      continue;
    }
    // Renewals stop before the outcomes are written: never two statements on the rows at once.
    const release = keepClaim(deps, ctx, rows);
    const results = await sendGroup(
      deps,
      ctx,
      prepared,
      limiter,
      { campaign, template },
      rows,
    ).finally(release);
    // The requests are out: a deadlock or lock timeout must not leave their outcomes unwritten
    // (the rows would end 'unknown' at the lease's end), so the recording runs again.
    const { authFailure } = await runAgainOnConflict(() =>
      recordOutcomes(deps, ctx, campaign, results),
    );
    if (authFailure) {
      await pauseCampaign(
        deps,
        ctx,
        campaign.id,
        `WhatsApp refused the token: ${authFailure.reason}`,
      );
      return "stopped";
    }
  }
}
