import { createHash } from "node:crypto";
import type { CampaignChannelSender, SendFailure } from "../../commands/campaigns/sending/channel";
import { composeEmail } from "../../commands/emailTemplates/compose";
import { variableProblem } from "../../commands/emailTemplates/variables";
import { trackingLinks } from "../../commands/tracking/tokens";
import { campaignMail } from "./campaignMessage";
import { newMessageId, type CampaignTransports } from "./campaignTransport";
import { campaignTransportsOf, emailSetupOf } from "./emailSetup";
import { classifySmtpError } from "./smtpErrors";

/**
 * The e-mail channel of campaigns (issue 11): the business's e-mail setup (its own SMTP server or
 * the platform's), the template filled for each customer with tracked links, an open pixel and
 * RFC 8058 unsubscribe headers, and the SMTP answer mapped to the dispatcher's failure kinds.
 * The Message-ID is made before sending and returned as the provider id, so a later bounce (DSN)
 * quoting it finds its row.
 */

/** An SMTP failure as the dispatcher's failure. */
export function emailFailure(error: unknown): SendFailure {
  const failure = classifySmtpError(error);
  const e = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    command?: unknown;
  };
  if (failure.outcome === "bounced")
    return { code: failure.code, reason: `Bounced: ${failure.reason}`, kind: "bounced" };
  if (failure.outcome === "failed")
    return {
      code: failure.code,
      reason: failure.reason,
      kind: e.code === "EAUTH" ? "auth" : "permanent",
    };
  // The connection dropped after the message was handed over: the server may have taken it.
  const afterData = e.command === "DATA" || e.command === "." || e.command === "DATA end";
  if (afterData && /^(ETIMEDOUT|ESOCKET|ECONNRESET|EPIPE|network)$/.test(failure.code))
    return { code: failure.code, reason: failure.reason, kind: "unknown" };
  return { code: failure.code, reason: failure.reason, kind: "transient" };
}

/** The limiter's key of one SMTP server, without its password. */
function rateKeyOf(smtpUrl: string): string {
  return `smtp:${createHash("sha256").update(smtpUrl).digest("hex").slice(0, 16)}`;
}

export interface EmailSenderOptions {
  /** Sends per second one SMTP server is given (null: as fast as the pool goes). */
  perSecond?: number | null;
  /** The benchmark passes its own pool; campaigns share the process's. */
  transports?: CampaignTransports;
}

export function emailSender(options: EmailSenderOptions = {}): CampaignChannelSender {
  return async (deps, ctx) => {
    const result = await emailSetupOf(deps, ctx.business.id);
    if (!result.ok) return { unavailable: result.problem };
    const { setup } = result;
    const transports = options.transports ?? campaignTransportsOf(deps.config);
    return {
      rateKey: rateKeyOf(setup.smtpUrl),
      perSecond: options.perSecond ?? null,
      messagingLimit: null,
      async send(recipient, campaign, template, customer) {
        if (customer.marketingOptedOutAt)
          return {
            ok: false,
            failure: { code: "opted_out", reason: "The customer unsubscribed.", kind: "permanent" },
          };
        const subject = template.subject ?? "";
        const htmlBody = template.htmlBody ?? "";
        const problem =
          template.channel !== "email"
            ? "Not an e-mail template."
            : variableProblem(`${subject}\n${htmlBody}`);
        if (problem)
          return { ok: false, failure: { code: "template", reason: problem, kind: "permanent" } };
        const links = trackingLinks(deps.config.APP_URL, deps.config.secretsKey, {
          businessId: recipient.businessId,
          customerId: recipient.customerId,
          recipientId: recipient.id,
        });
        const composed = composeEmail(
          { subject, htmlBody },
          {
            customer: {
              name: customer.name,
              email: recipient.address,
              phoneE164: customer.phoneE164,
            },
            business: { name: ctx.business.name },
            unsubscribeUrl: links.unsubscribeUrl,
          },
          links,
        );
        const messageId = newMessageId(setup.from.address, recipient.businessId, recipient.id);
        try {
          await transports.send(
            setup.smtpUrl,
            campaignMail(setup, composed, links, {
              to: recipient.address,
              messageId,
              campaignId: campaign.id,
            }),
          );
        } catch (error) {
          return { ok: false, failure: emailFailure(error) };
        }
        return { ok: true, providerMessageId: messageId };
      },
    };
  };
}
