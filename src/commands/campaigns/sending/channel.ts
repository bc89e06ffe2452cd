import type { Deps } from "../../../deps";
import type {
  Campaign,
  CampaignRecipient,
  Customer,
  MessageTemplate,
  RecipientChannel,
} from "../../../models";
import type { TenantContext } from "../../../tenancy/context";

/**
 * How a campaign reaches one recipient on one channel. The batch job (batch.ts) claims a row,
 * waits for the number's rate slot, calls send() once, and records the outcome; the sender itself
 * never touches the recipient rows. WhatsApp is whatsapp.ts; e-mail registers its own in
 * senders.ts.
 */
export interface SendFailure {
  /** The provider's code as text ("131026", "550", "network"). */
  code: string;
  /** Shown to the marketer on the results page and in the export. */
  reason: string;
  /**
   * transient: retry with backoff; throughput: the number's rate was exceeded (retry soon);
   * permanent: never retry this recipient; bounced: permanent, and the recipient's server refused
   * the address or the message for good (an SMTP 5xx at RCPT TO or DATA), recorded 'bounced' as a
   * DSN would be; auth: the channel's credentials are refused (pause
   * the campaign, retry after reconnecting); unknown: the request may have been taken (a timeout
   * after it left) — never sent again.
   */
  kind: "transient" | "throughput" | "permanent" | "bounced" | "auth" | "unknown";
}

export type SendOutcome =
  { ok: true; providerMessageId: string } | { ok: false; failure: SendFailure };

/** A channel ready to send one campaign: its rate key and tiers, and the send itself. */
export interface PreparedSender {
  /** The limiter's key: the sending number (phone_number_id) or the mail server. */
  rateKey: string;
  /** Sends per second the provider allows this key; null: no limit of ours. */
  perSecond: number | null;
  /** Unique recipients per rolling 24 h (WhatsApp's messaging limit); null: unlimited. */
  messagingLimit: number | null;
  send(
    recipient: CampaignRecipient,
    campaign: Campaign,
    template: MessageTemplate,
    customer: Customer,
  ): Promise<SendOutcome>;
}

/** Why a channel cannot send now, in words for the marketer ("WhatsApp is not connected…"). */
export interface SenderUnavailable {
  unavailable: string;
}

/** Prepares the business's channel for one campaign (loads and opens its credentials). */
export type CampaignChannelSender = (
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
) => Promise<PreparedSender | SenderUnavailable>;

export type ChannelSenders = Readonly<Record<RecipientChannel, CampaignChannelSender>>;

export function isUnavailable(
  prepared: PreparedSender | SenderUnavailable,
): prepared is SenderUnavailable {
  return "unavailable" in prepared;
}
