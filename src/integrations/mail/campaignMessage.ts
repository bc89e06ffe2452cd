import type { ComposedEmail } from "../../commands/emailTemplates/compose";
import type { TrackingLinks } from "../../commands/tracking/tokens";
import type { CampaignMail } from "./campaignTransport";
import type { EmailSetup } from "./emailSetup";

/**
 * The headers every campaign e-mail carries: List-Unsubscribe with the signed https link (which
 * takes RFC 8058's one-click POST) and a mailto to the business (Reply-To, else From), and
 * List-Unsubscribe-Post so Gmail and Yahoo show their unsubscribe button. Bulk senders must have
 * both since 2024.
 */
export function unsubscribeHeaders(
  setup: EmailSetup,
  links: TrackingLinks,
): Record<string, string> {
  const mailbox = setup.replyTo ?? setup.from.address;
  const token = links.unsubscribeUrl.slice(links.unsubscribeUrl.lastIndexOf("/") + 1);
  const mailto = `mailto:${mailbox}?subject=${encodeURIComponent(`Unsubscribe ${token}`)}`;
  return {
    "List-Unsubscribe": `<${links.unsubscribeUrl}>, <${mailto}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

export interface MessageOptions {
  to: string;
  messageId: string;
  /** Marks a "send me a test" message (subject prefix, header). */
  test?: boolean;
  /** The campaign's id, in a header support can search for. */
  campaignId?: number;
}

export function campaignMail(
  setup: EmailSetup,
  composed: ComposedEmail,
  links: TrackingLinks,
  options: MessageOptions,
): CampaignMail {
  return {
    from: setup.from,
    replyTo: setup.replyTo,
    to: options.to,
    subject: options.test ? `[Test] ${composed.subject}` : composed.subject,
    html: composed.html,
    text: composed.text,
    messageId: options.messageId,
    headers: {
      ...unsubscribeHeaders(setup, links),
      // Tells auto-responders (out of office) not to answer a bulk message.
      "Auto-Submitted": "auto-generated",
      Precedence: "bulk",
      ...(options.campaignId ? { "X-CRM-Campaign": String(options.campaignId) } : {}),
      ...(options.test ? { "X-CRM-Test": "yes" } : {}),
    },
  };
}
