import type { Deps } from "../../deps";
import type { Campaign } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { findChannel } from "../channels/channels";
import { countAudience, parseAudience, type AudienceCount } from "./sending/audience";
import { messagingAllowance } from "./sending/control";

export interface Preflight {
  ready: boolean;
  problems: string[];
  audience: AudienceCount;
  template: { name: string; status: string; approved: boolean } | null;
  channel: { connected: boolean; throughput: number | null; messagingLimit: number | null };
  /** Recipients sendable today under the messaging limit, and the days the whole send spreads over. */
  today: number;
  days: number;
  /** At the throughput tier (with the limiter's headroom), the sending time of today's share. */
  estimatedSeconds: number;
}

/**
 * What the send will do, before it starts: who it reaches after consent and opt-outs, the
 * template's approval, the channel, the 24-hour messaging limit and how the send spreads across
 * days, and the estimated duration at the number's throughput.
 */
export async function preflight(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
): Promise<Preflight> {
  const problems: string[] = [];
  const audience = await countAudience(deps, ctx, campaign);
  if (!parseAudience(campaign.sendAudience)) problems.push("Choose who receives the campaign.");
  else if (audience.reachable === 0)
    problems.push("Nobody in this audience can receive it (consent, opt-outs, addresses).");
  const template = campaign.templateId
    ? await deps.models.MessageTemplate.findOne({
        where: tenantWhere(ctx, deps.models.MessageTemplate, { id: campaign.templateId }),
      })
    : null;
  const approved = template
    ? template.channel !== "whatsapp" || template.status === "approved"
    : false;
  if (!template) problems.push("Choose a template.");
  else if (!approved)
    problems.push(`The template ${template.name} is ${template.status}, not approved.`);
  const channelRow = await findChannel(
    deps,
    ctx,
    campaign.channel === "email" ? "email" : "whatsapp",
  );
  const connected =
    campaign.channel === "email"
      ? channelRow !== null
      : channelRow?.status === "connected" && Boolean(channelRow.accessTokenSealed);
  if (!connected)
    problems.push(
      campaign.channel === "email"
        ? "Set up the e-mail sender under Settings → Channels."
        : "Connect WhatsApp under Settings → Channels (number, token, test connection).",
    );
  const throughput = campaign.channel === "whatsapp" ? (channelRow?.throughputTier ?? 80) : null;
  const messagingLimit =
    campaign.channel === "whatsapp" ? (channelRow?.messagingLimitTier ?? null) : null;
  const allowance =
    messagingLimit === null
      ? audience.reachable
      : Math.max(0, await messagingAllowance(deps, ctx, messagingLimit));
  const today = Math.min(audience.reachable, allowance);
  const rest = audience.reachable - today;
  const days =
    audience.reachable === 0 ? 0 : 1 + (messagingLimit ? Math.ceil(rest / messagingLimit) : 0);
  const rate = throughput ? throughput * deps.config.CAMPAIGN_RATE_HEADROOM : 50;
  return {
    ready: problems.length === 0,
    problems,
    audience,
    template: template ? { name: template.name, status: template.status, approved } : null,
    channel: { connected, throughput, messagingLimit },
    today,
    days,
    estimatedSeconds: Math.ceil(today / rate),
  };
}
