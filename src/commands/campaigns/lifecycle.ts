import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { localDate, zonedTime } from "../../lib/dates";
import {
  campaignNameKey,
  type Campaign,
  type ConsentRule,
  type SendAudience,
} from "../../models/Campaign";
import { assertWithinLimit } from "../../plans/planGate";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { countAudience, parseAudience } from "./sending/audience";
import { queueDispatch, startSending } from "./sending/dispatch";

/** What the marketer is told when a step cannot be taken. */
export const sendMessages = {
  notDraft: "Only a draft or scheduled campaign can be changed; duplicate it to send again.",
  channel: "Choose WhatsApp or e-mail.",
  template: "Choose a template of this channel.",
  notApproved: "Meta has not approved this template yet; only approved templates can be sent.",
  audience: "Choose who receives the campaign: everyone, a segment or tags.",
  nobody: "Nobody in this audience can receive the campaign (consent, opt-outs, addresses).",
  past: "Choose a time in the future, or send now.",
  notSending: "Only a sending campaign can be paused.",
  notPaused: "Only a paused campaign can be resumed.",
  notCancellable: "Only a scheduled, sending or paused campaign can be cancelled.",
  noFailed: "No recipient failed for a reason worth trying again.",
};

export interface SendSettings {
  channel: "whatsapp" | "email";
  templateId: number;
  audience: SendAudience;
  consentRule: ConsentRule;
}

const editable = (campaign: Campaign) => ["draft", "scheduled"].includes(campaign.sendState);

/** The template of the campaign's channel, approved when it is WhatsApp's (or an error). */
export async function sendableTemplate(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  campaign: Pick<Campaign, "channel" | "templateId">,
) {
  if (!campaign.templateId) throw AppError.validation({ templateId: sendMessages.template });
  const template = await deps.models.MessageTemplate.findOne({
    where: tenantWhere(ctx, deps.models.MessageTemplate, { id: campaign.templateId }),
  });
  if (!template || template.channel !== campaign.channel)
    throw AppError.validation({ templateId: sendMessages.template });
  if (template.channel === "whatsapp" && template.status !== "approved")
    throw AppError.validation({ templateId: sendMessages.notApproved });
  return template;
}

/** Saves the wizard's choices on a draft or scheduled campaign. */
export async function saveSendSettings(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
  settings: SendSettings,
): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  if (!editable(campaign)) throw new AppError("conflict", sendMessages.notDraft);
  const template = await deps.models.MessageTemplate.findOne({
    where: tenantWhere(ctx, deps.models.MessageTemplate, { id: settings.templateId }),
  });
  if (!template || template.channel !== settings.channel)
    throw AppError.validation({ templateId: sendMessages.template });
  const { audience } = settings;
  if (audience.kind === "segment")
    await findInBusiness(ctx, deps.models.Segment, audience.segmentId).catch(() => {
      throw AppError.validation({ audience: sendMessages.audience });
    });
  if (audience.kind === "tags") {
    const found = await deps.models.Tag.count({
      where: tenantWhere(ctx, deps.models.Tag, { id: audience.tagIds ?? [] }),
    });
    if (found === 0 || found !== (audience.tagIds ?? []).length)
      throw AppError.validation({ audience: sendMessages.audience });
  }
  return campaign.update({
    channel: settings.channel,
    templateId: template.id,
    sendAudience: JSON.stringify(audience),
    consentRule: settings.consentRule,
    updatedAt: deps.clock.now(),
  });
}

/** The first instant of the business's current month, and campaigns started since. */
async function monthUsage(deps: Deps, ctx: TenantContext) {
  const today = localDate(deps.clock.now(), ctx.business.timeZone);
  const monthStart = zonedTime(
    `${today.slice(0, 8)}01`,
    { hour: 0, minute: 0 },
    ctx.business.timeZone,
  );
  const sql = tenantSql(deps, ctx);
  const [row] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM campaigns c WHERE ${sql.scoped("c")}
      AND c.send_started_at >= ${monthStart}`;
  // Messages: recipients frozen into campaigns started this month (each is one message owed).
  const [sent] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM campaign_recipients r WHERE ${sql.scoped("r")}
      AND r.created_at >= ${monthStart}`;
  return { campaigns: Number(row?.n ?? 0), messages: Number(sent?.n ?? 0) };
}

/**
 * Sends the campaign now (at null or a past time) or schedules it (a future time, already in
 * UTC). Checks the template (approved), the audience (someone reachable) and the plan's
 * campaigns a month, then freezes the audience and queues the dispatcher — or queues it for the
 * scheduled time.
 */
export async function scheduleSend(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
  at: Date | null,
): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  if (!editable(campaign)) throw new AppError("conflict", sendMessages.notDraft);
  await sendableTemplate(deps, ctx, campaign);
  if (!parseAudience(campaign.sendAudience))
    throw AppError.validation({ audience: sendMessages.audience });
  const { reachable } = await countAudience(deps, ctx, campaign);
  if (reachable === 0) throw AppError.validation({ audience: sendMessages.nobody });
  const usage = await monthUsage(deps, ctx);
  assertWithinLimit(ctx.plan, "campaignsPerMonth", usage.campaigns);
  assertWithinLimit(ctx.plan, "messagesPerMonth", usage.messages, reachable);
  const now = deps.clock.now();
  const tickMs = deps.config.CAMPAIGN_TICK_MS;
  await campaign.update({ sendRequestedById: ctx.system ? null : ctx.user.id });
  if (at && at > now) {
    const sql = tenantSql(deps, ctx);
    await sql.changed`
      UPDATE campaigns SET send_state = 'scheduled', scheduled_at = ${at}, updated_at = ${now}
      WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id}
        AND send_state IN ('draft', 'scheduled')`;
    await queueDispatch(deps, ctx, campaign.id, at, tickMs);
    return campaign.reload();
  }
  const frozen = await startSending(deps, ctx, campaign);
  if (frozen === null) throw new AppError("conflict", sendMessages.notDraft);
  await queueDispatch(deps, ctx, campaign.id, now, tickMs);
  return campaign.reload();
}

/** Pauses a sending campaign: batches stop before their next group. */
export async function pauseSend(deps: Deps, ctx: TenantContext, campaign: Campaign) {
  authorize(ctx, "campaigns.manage");
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const who = ctx.system ? "the business" : ctx.user.name;
  const changed = await sql.changed`
    UPDATE campaigns SET send_state = 'paused', paused_reason = ${`Paused by ${who}`.slice(0, 191)},
      resume_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id} AND send_state = 'sending'`;
  if (changed === 0) throw new AppError("conflict", sendMessages.notSending);
  return campaign.reload();
}

/** Resumes a paused campaign (by hand, or after fixing the channel or template). */
export async function resumeSend(deps: Deps, ctx: TenantContext, campaign: Campaign) {
  authorize(ctx, "campaigns.manage");
  await sendableTemplate(deps, ctx, campaign);
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const changed = await sql.changed`
    UPDATE campaigns SET send_state = 'sending', paused_reason = NULL, resume_at = NULL,
      updated_at = ${now}
    WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id} AND send_state = 'paused'`;
  if (changed === 0) throw new AppError("conflict", sendMessages.notPaused);
  await queueDispatch(deps, ctx, campaign.id, now, deps.config.CAMPAIGN_TICK_MS);
  return campaign.reload();
}

/** Cancels a scheduled, sending or paused campaign; its queued rows are never sent. */
export async function cancelSend(deps: Deps, ctx: TenantContext, campaign: Campaign) {
  authorize(ctx, "campaigns.manage");
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const changed = await sql.changed`
    UPDATE campaigns SET send_state = 'cancelled', send_completed_at = ${now}, resume_at = NULL,
      updated_at = ${now}
    WHERE ${sql.scoped("campaigns")} AND id = ${campaign.id}
      AND send_state IN ('scheduled', 'sending', 'paused')`;
  if (changed === 0) throw new AppError("conflict", sendMessages.notCancellable);
  return campaign.reload();
}

/** A free name "Copy of X", "Copy 2 of X"… for a duplicate or follow-up. */
async function freeName(deps: Deps, ctx: TenantContext, base: string, prefix: string) {
  for (let n = 1; n < 100; n++) {
    const name = `${n === 1 ? prefix : `${prefix} ${n}`} ${base}`.slice(0, 150);
    const taken = await deps.models.Campaign.count({
      where: tenantWhere(ctx, deps.models.Campaign, { nameKey: campaignNameKey(name) }),
    });
    if (taken === 0) return name;
  }
  throw new AppError("conflict", "Too many copies of this campaign; rename one first.");
}

/** A draft copy of a campaign's plan and send settings (never its recipients). */
export async function duplicateCampaign(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
  options: { prefix?: string; parentCampaignId?: number } = {},
): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  const name = await freeName(deps, ctx, campaign.name, options.prefix ?? "Copy of");
  const now = deps.clock.now();
  const plain = campaign.get({ plain: true });
  return deps.models.Campaign.create({
    ...plain,
    id: undefined,
    name,
    nameKey: campaignNameKey(name),
    sendState: "draft",
    scheduledAt: null,
    sendStartedAt: null,
    sendCompletedAt: null,
    pausedReason: null,
    resumeAt: null,
    sendRequestedById: null,
    parentCampaignId: options.parentCampaignId ?? null,
    createdById: ctx.system ? null : ctx.user.id,
    createdAt: now,
    updatedAt: now,
  } as unknown as Campaign);
}

/**
 * "Resend to failed": a follow-up campaign (parent_campaign_id) sent at once to the parent's
 * recipients that failed for a retryable reason and have not opted out since.
 */
export async function resendFailed(
  deps: Deps,
  ctx: TenantContext,
  parent: Campaign,
): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  await sendableTemplate(deps, ctx, parent);
  const usage = await monthUsage(deps, ctx);
  assertWithinLimit(ctx.plan, "campaignsPerMonth", usage.campaigns);
  const followUp = await duplicateCampaign(deps, ctx, parent, {
    prefix: "Resend of",
    parentCampaignId: parent.id,
  });
  const now = deps.clock.now();
  const copied = await deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, ctx, transaction);
    await sql.changed`
      UPDATE campaigns SET send_state = 'sending', send_started_at = ${now},
        send_requested_by_id = ${ctx.system ? null : ctx.user.id}, updated_at = ${now}
      WHERE ${sql.scoped("campaigns")} AND id = ${followUp.id}`;
    await sql.run`
      INSERT INTO campaign_recipients (business_id, campaign_id, customer_id, channel, address,
        status, retryable, attempts, created_at, updated_at)
      SELECT ${sql.businessId}, ${followUp.id}, r.customer_id, r.channel, r.address, 'queued', 0, 0,
        ${now}, ${now}
      FROM campaign_recipients r JOIN customers c ON c.id = r.customer_id AND ${sql.scoped("c")}
      WHERE ${sql.scoped("r")} AND r.campaign_id = ${parent.id} AND r.status = 'failed'
        AND r.retryable = 1 AND c.marketing_opted_out_at IS NULL
        AND (r.channel <> 'email' OR NOT EXISTS (SELECT 1 FROM email_suppressions s
          WHERE ${sql.scoped("s")} AND s.email = r.address))
      ORDER BY r.id`;
    const [row] = await sql.select<{ n: number | string }>`
      SELECT COUNT(*) AS n FROM campaign_recipients r WHERE ${sql.scoped("r")}
        AND r.campaign_id = ${followUp.id}`;
    return Number(row?.n ?? 0);
  });
  if (copied === 0) {
    await followUp.destroy();
    throw new AppError("conflict", sendMessages.noFailed);
  }
  await queueDispatch(deps, ctx, followUp.id, now, deps.config.CAMPAIGN_TICK_MS);
  return followUp.reload();
}
