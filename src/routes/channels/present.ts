import type { Config } from "../../config";
import { optOutKeywordsOf } from "../../commands/channels/channels";
import { formatDateTime } from "../../lib/dates";
import type { ChannelStatus, MessagingChannel } from "../../models";

/** The channels page's view of each channel: never a token or an SMTP URL, only whether one is saved. */
const statusView: Record<ChannelStatus, { label: string; badge: string }> = {
  unconfigured: { label: "Not connected", badge: "text-bg-secondary" },
  connected: { label: "Connected", badge: "text-bg-success" },
  failing: { label: "Failing", badge: "text-bg-danger" },
};

const limitLabels = new Map<number | null, string>([
  [250, "250 customers / 24 h"],
  [2000, "2,000 customers / 24 h"],
  [10_000, "10,000 customers / 24 h"],
  [100_000, "100,000 customers / 24 h"],
  [null, "Unlimited"],
]);

export function presentWhatsApp(channel: MessagingChannel | null, timeZone: string) {
  const status: ChannelStatus = channel?.status ?? "unconfigured";
  const limit = channel ? channel.messagingLimitTier : 250;
  return {
    saved: Boolean(channel?.phoneNumberId),
    status,
    ...statusView[status],
    connected: status === "connected",
    phoneNumberId: channel?.phoneNumberId ?? "",
    wabaId: channel?.wabaId ?? "",
    tokenSaved: Boolean(channel?.accessTokenSealed),
    throughputTier: channel?.throughputTier ?? 80,
    limitLabel: limitLabels.get(limit) ?? String(limit),
    lastTested: channel?.lastTestedAt ? formatDateTime(channel.lastTestedAt, timeZone) : null,
    lastError: channel?.lastError ?? null,
    keywords: optOutKeywordsOf(channel).join(", "),
  };
}

export function presentEmail(channel: MessagingChannel | null) {
  const configured = Boolean(channel?.fromAddress);
  return {
    configured,
    label: configured ? "Ready" : "Not set up",
    badge: configured ? "text-bg-success" : "text-bg-secondary",
    fromName: channel?.fromName ?? "",
    fromAddress: channel?.fromAddress ?? "",
    replyTo: channel?.replyTo ?? "",
    ownSmtp: Boolean(channel?.smtpUrlSealed),
  };
}

/** What the owner tells Meta: the callback URL, and whether the platform can verify and read it. */
export function webhookSetup(config: Config) {
  return {
    callbackUrl: `${config.APP_URL.replace(/\/+$/, "")}/webhooks/whatsapp`,
    verifyTokenSet: Boolean(config.WHATSAPP_VERIFY_TOKEN),
    appSecretSet: Boolean(config.WHATSAPP_APP_SECRET),
  };
}

/** The choices of the tier selects, the saved one selected. */
export function tierOptions(values: { throughputTier?: unknown; messagingLimitTier?: unknown }) {
  const throughput = String(values.throughputTier ?? "80");
  const limit = String(values.messagingLimitTier ?? "250");
  return {
    throughput: [
      { value: "80", label: "80 messages/second (standard)" },
      { value: "1000", label: "1,000 messages/second (upgraded number)" },
    ].map((o) => ({ ...o, selected: o.value === throughput })),
    limits: [
      ["250", "250 customers / 24 h (new number)"],
      ["2000", "2,000 customers / 24 h"],
      ["10000", "10,000 customers / 24 h"],
      ["100000", "100,000 customers / 24 h"],
      ["unlimited", "Unlimited"],
    ].map(([value, label]) => ({ value, label, selected: value === limit })),
  };
}
