import { UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { openSecret, sealSecret } from "../../lib/secretBox";
import type { ChannelKind, MessagingChannel } from "../../models";
import { acrossBusinesses, tenantWhere, type Scoped } from "../../tenancy/scope";

/**
 * A business's messaging channels (issue 11): one row per kind, created on first save. Tokens and
 * SMTP URLs are sealed with SECRETS_KEY before they reach the model; nothing here returns them
 * except openWhatsAppCredentials, for the code that calls the Cloud API.
 */
type ChannelDeps = Pick<Deps, "models" | "config" | "clock">;

export const throughputTiers = [80, 1000] as const;
/** Unique users per rolling 24 h; null = unlimited. */
export const messagingLimitTiers = [250, 2000, 10_000, 100_000, null] as const;
/** Always opt-out words, whatever the business adds. */
export const standardOptOutWords = ["STOP", "UNSUBSCRIBE"] as const;

export interface WhatsAppChannelInput {
  phoneNumberId: string;
  wabaId: string;
  /** Empty: keep the stored token (required the first time). */
  accessToken: string;
  throughputTier: (typeof throughputTiers)[number];
  messagingLimitTier: (typeof messagingLimitTiers)[number];
  /** The business's own opt-out keywords, beside STOP and UNSUBSCRIBE. */
  optOutKeywords: string[];
}

export interface EmailChannelInput {
  fromName: string;
  fromAddress: string;
  replyTo: string | null;
  /** Empty: keep the stored URL; null with `usePlatformSmtp`: forget it. */
  smtpUrl: string;
  usePlatformSmtp: boolean;
}

export async function findChannel(
  deps: Pick<Deps, "models">,
  ctx: Scoped,
  kind: ChannelKind,
): Promise<MessagingChannel | null> {
  const model = deps.models.MessagingChannel;
  return model.findOne({ where: tenantWhere(ctx, model, { kind }, { wholeBusiness: true }) });
}

/** Both channels of the business (null where it has never saved one). */
export async function loadChannels(deps: Pick<Deps, "models">, ctx: Scoped) {
  const model = deps.models.MessagingChannel;
  const rows = await model.findAll({ where: tenantWhere(ctx, model, {}, { wholeBusiness: true }) });
  return {
    whatsapp: rows.find((r) => r.kind === "whatsapp") ?? null,
    email: rows.find((r) => r.kind === "email") ?? null,
  };
}

/** The keywords a business added, from the stored JSON (never throws on a bad value). */
export function optOutKeywordsOf(channel: MessagingChannel | null): string[] {
  if (!channel?.optOutKeywords) return [];
  try {
    const value: unknown = JSON.parse(channel.optOutKeywords);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

async function channelRow(deps: ChannelDeps, ctx: Scoped, kind: ChannelKind) {
  const found = await findChannel(deps, ctx, kind);
  if (found) return found;
  const businessId = "business" in ctx ? ctx.business.id : ctx.businessId;
  return deps.models.MessagingChannel.build({ businessId, kind });
}

/**
 * Saves the WhatsApp number, its account and tiers; a new token is sealed. Changing the number or
 * the token makes the connection untested again (status unconfigured until "Test connection").
 */
export async function saveWhatsAppChannel(
  deps: ChannelDeps,
  ctx: Scoped,
  input: WhatsAppChannelInput,
): Promise<MessagingChannel> {
  const channel = await channelRow(deps, ctx, "whatsapp");
  const token = input.accessToken.trim();
  if (!token && !channel.accessTokenSealed)
    throw AppError.validation({ accessToken: "Paste the access token of your WhatsApp app." });
  const credentialsChanged = Boolean(token) || channel.phoneNumberId !== input.phoneNumberId;
  channel.set({
    phoneNumberId: input.phoneNumberId,
    wabaId: input.wabaId,
    throughputTier: input.throughputTier,
    messagingLimitTier: input.messagingLimitTier,
    optOutKeywords: JSON.stringify(input.optOutKeywords),
  });
  if (token) channel.accessTokenSealed = sealSecret(deps.config.secretsKey, token);
  if (credentialsChanged) {
    channel.status = "unconfigured";
    channel.lastError = null;
    channel.lastTestedAt = null;
  }
  try {
    return await channel.save();
  } catch (error) {
    if (error instanceof UniqueConstraintError)
      throw AppError.validation({
        phoneNumberId: "This phone number id is already connected to another business here.",
      });
    throw error;
  }
}

/** Saves the e-mail sender; an SMTP URL given is sealed, "use the platform's SMTP" forgets it. */
export async function saveEmailChannel(
  deps: ChannelDeps,
  ctx: Scoped,
  input: EmailChannelInput,
): Promise<MessagingChannel> {
  const channel = await channelRow(deps, ctx, "email");
  channel.set({ fromName: input.fromName, fromAddress: input.fromAddress, replyTo: input.replyTo });
  if (input.usePlatformSmtp) channel.smtpUrlSealed = null;
  else if (input.smtpUrl) channel.smtpUrlSealed = sealSecret(deps.config.secretsKey, input.smtpUrl);
  // E-mail needs no provider handshake: a sender address is a configured channel.
  channel.status = "connected";
  channel.lastError = null;
  return channel.save();
}

/** What the Cloud API needs to act for this number; null while the channel is incomplete. */
export function openWhatsAppCredentials(
  deps: Pick<Deps, "config">,
  channel: MessagingChannel,
): { phoneNumberId: string; wabaId: string | null; token: string } | null {
  if (channel.kind !== "whatsapp" || !channel.phoneNumberId || !channel.accessTokenSealed)
    return null;
  return {
    phoneNumberId: channel.phoneNumberId,
    wabaId: channel.wabaId,
    token: openSecret(deps.config.secretsKey, channel.accessTokenSealed),
  };
}

/** The business's own SMTP URL, or null for the platform's. */
export function openSmtpUrl(deps: Pick<Deps, "config">, channel: MessagingChannel): string | null {
  return channel.smtpUrlSealed ? openSecret(deps.config.secretsKey, channel.smtpUrlSealed) : null;
}

/**
 * The WhatsApp channel a webhook names by its phone_number_id, whichever business owns it: the one
 * lookup that crosses businesses, because Meta's webhook carries no business of ours.
 */
export async function channelByPhoneNumberId(
  deps: Pick<Deps, "models">,
  phoneNumberId: string,
): Promise<MessagingChannel | null> {
  return deps.models.MessagingChannel.findOne({
    where: acrossBusinesses("webhook routing: Meta names the number, not the business", {
      kind: "whatsapp",
      phoneNumberId,
    }),
  });
}
