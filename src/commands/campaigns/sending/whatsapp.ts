import {
  whatsAppApiFor,
  type WhatsAppApi,
  type WhatsAppError,
} from "../../../integrations/whatsapp";
import type { Customer, MessageTemplate } from "../../../models";
import { findChannel, openWhatsAppCredentials } from "../../channels/channels";
import { renderWhatsAppParams } from "../../messageTemplates/params";
import type { CampaignChannelSender, SendFailure } from "./channel";

/** Messages for the marketer when the WhatsApp channel cannot send. */
export const whatsAppMessages = {
  unconfigured:
    "WhatsApp is not connected: add the phone number and token under Channels, then test the connection.",
  failing: "WhatsApp's token was refused: reconnect the number under Channels, then resume.",
};

/** A Cloud API error as the recipient's failure (codes per CONTRACTS.md). */
export function whatsAppFailure(error: WhatsAppError): SendFailure {
  const code = error.code === 0 ? "network" : String(error.code);
  const reason = error.message.slice(0, 500);
  // A timeout may have been taken by Meta after the request left: never sent again.
  if (error.code === 0 && /timeout|aborted/i.test(error.message))
    return { code: "timeout", reason, kind: "unknown" };
  if (error.kind === "throughput" || error.kind === "pair_rate")
    return { code, reason, kind: "throughput" };
  if (error.kind === "auth") return { code, reason, kind: "auth" };
  return { code, reason, kind: error.retryable ? "transient" : "permanent" };
}

/**
 * The WhatsApp sender: the business's connected number, its tiers, and one approved template per
 * send with the template's placeholders filled from the customer.
 */
export function whatsAppSender(api?: WhatsAppApi): CampaignChannelSender {
  return async (deps, ctx) => {
    const channel = await findChannel(deps, ctx, "whatsapp");
    const credentials = channel ? openWhatsAppCredentials(deps, channel) : null;
    if (!channel || !credentials) return { unavailable: whatsAppMessages.unconfigured };
    const client = api ?? whatsAppApiFor(deps.config);
    return {
      rateKey: `wa:${credentials.phoneNumberId}`,
      perSecond: channel.throughputTier,
      messagingLimit: channel.messagingLimitTier,
      async send(recipient, _campaign, template: MessageTemplate, customer: Customer) {
        let params: string[];
        try {
          params = renderWhatsAppParams(template, customer, { businessName: ctx.business.name });
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return { ok: false, failure: { code: "template", reason, kind: "permanent" } };
        }
        const result = await client.sendTemplate(
          credentials.phoneNumberId,
          credentials.token,
          recipient.address,
          template.name,
          template.language,
          params,
        );
        if (result.ok) return { ok: true, providerMessageId: result.wamid };
        return { ok: false, failure: whatsAppFailure(result.error) };
      },
    };
  };
}
