import type { Config } from "../../config";
import type { Deps } from "../../deps";
import { openSecret } from "../../lib/secretBox";
import { businessScope, ownBusiness, tenantWhere } from "../../tenancy/scope";
import { createCampaignTransports, type CampaignTransports } from "./campaignTransport";

/**
 * How one business's campaign e-mail goes out: through its own SMTP server (sealed in its e-mail
 * channel) or the platform's SMTP_URL; From and Reply-To from the channel, the business's name
 * and the platform's address otherwise. Without any SMTP server e-mail is "not set up" — said so
 * on the pages and as each recipient's failure reason; nothing is written to an outbox instead.
 */
export interface EmailSetup {
  smtpUrl: string;
  /** platform: SMTP_URL; business: the business's own server. */
  server: "platform" | "business";
  from: { name: string; address: string };
  replyTo: string | null;
}

export type EmailSetupResult = { ok: true; setup: EmailSetup } | { ok: false; problem: string };

export const notSetUpMessage =
  "E-mail is not set up: the platform has no SMTP server (SMTP_URL) and this business has not added its own in its e-mail channel.";

/** The address inside MAIL_FROM ("CRM <no-reply@example.com>" → no-reply@example.com). */
export function addressOf(mailbox: string): string {
  const angle = /<([^>]+)>/.exec(mailbox);
  return (angle ? angle[1] : mailbox)?.trim() ?? mailbox.trim();
}

export async function emailSetupOf(
  deps: Pick<Deps, "models" | "config">,
  businessId: number,
): Promise<EmailSetupResult> {
  const scope = businessScope(businessId);
  const [channel, business] = await Promise.all([
    deps.models.MessagingChannel.findOne({
      where: tenantWhere(scope, deps.models.MessagingChannel, { kind: "email" }),
    }),
    deps.models.Business.findOne({ where: ownBusiness(scope), attributes: ["name"] }),
  ]);
  let smtpUrl = deps.config.SMTP_URL ?? "";
  let server: EmailSetup["server"] = "platform";
  if (channel?.smtpUrlSealed) {
    try {
      smtpUrl = openSecret(deps.config.secretsKey, channel.smtpUrlSealed);
      server = "business";
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }
  if (!smtpUrl) return { ok: false, problem: notSetUpMessage };
  return {
    ok: true,
    setup: {
      smtpUrl,
      server,
      from: {
        name: channel?.fromName || business?.name || "",
        address: channel?.fromAddress || addressOf(deps.config.MAIL_FROM),
      },
      replyTo: channel?.replyTo || null,
    },
  };
}

/** One set of pooled transports per process (per loaded config), shared by campaigns and tests. */
const transportsByConfig = new WeakMap<Config, CampaignTransports>();

export function campaignTransportsOf(config: Config): CampaignTransports {
  let transports = transportsByConfig.get(config);
  if (!transports) {
    transports = createCampaignTransports();
    transportsByConfig.set(config, transports);
  }
  return transports;
}

/** Closes this config's SMTP connections (shutdown, end of a test file). */
export async function closeCampaignTransports(config: Config): Promise<void> {
  const transports = transportsByConfig.get(config);
  transportsByConfig.delete(config);
  await transports?.close();
}
