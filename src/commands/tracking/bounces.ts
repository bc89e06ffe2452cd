import type { Deps } from "../../deps";
import { parseMessageId } from "../../integrations/mail/campaignTransport";
import { businessScope } from "../../tenancy/scope";
import { signalCampaign } from "../../notifications/live";
import { applyRecipientStatus, campaignsOfMessages } from "../campaigns/recipientStatus";
import { recipientOfMessage, suppressBouncedRecipient } from "../campaigns/suppression";

/**
 * Bounces that arrive after the SMTP server accepted a message: a delivery status notification
 * (RFC 3464, multipart/report; report-type=delivery-status) sent back to the envelope sender and
 * forwarded here. The returned headers quote our Message-ID, which names the business and the
 * recipient row (campaignTransport.ts); a permanent failure (Action: failed, Status 5.x.x) marks
 * that row bounced through applyRecipientStatus (forward-only, so a replayed DSN changes nothing).
 * Delays (4.x.x) are not bounces and are ignored. A bounce suppresses the address for the
 * business's marketing e-mail (campaigns/suppression.ts).
 */
export interface ParsedBounce {
  messageId: string;
  businessId: number;
  /** The DSN's Status, e.g. 5.1.1. */
  status: string;
  permanent: boolean;
  diagnostic: string;
}

function field(text: string, name: string): string | null {
  const match = new RegExp(`^${name}:[ \\t]*(.+(?:\\r?\\n[ \\t].+)*)`, "im").exec(text);
  return match ? (match[1] ?? "").replace(/\r?\n[ \t]+/g, " ").trim() : null;
}

/** The DSN's verdict and the Message-ID of ours it quotes, or null when it is not one of ours. */
export function parseBounce(raw: string): ParsedBounce | null {
  const ids = [
    ...raw.matchAll(/^(?:Original-)?Message-ID:[ \t]*(?:\r?\n[ \t]+)?(<[^>\s]+>)/gim),
  ].map((m) => m[1] ?? "");
  const messageId = ids.find((id) => parseMessageId(id) !== null);
  if (!messageId) return null;
  const ours = parseMessageId(messageId);
  if (!ours) return null;
  const status = field(raw, "Status") ?? "";
  const action = (field(raw, "Action") ?? "").toLowerCase();
  const permanent = /^5\.\d{1,3}\.\d{1,3}/.test(status) && (action === "" || action === "failed");
  const diagnostic = (field(raw, "Diagnostic-Code") ?? "").replace(/^smtp;\s*/i, "");
  return { messageId, businessId: ours.businessId, status, permanent, diagnostic };
}

export type BounceOutcome = "bounced" | "temporary" | "not_ours" | "not_found";

export async function recordBounce(
  deps: Pick<Deps, "sequelize" | "clock">,
  raw: string,
): Promise<BounceOutcome> {
  const bounce = parseBounce(raw);
  if (!bounce) return "not_ours";
  if (!bounce.permanent) return "temporary";
  const scope = businessScope(bounce.businessId);
  const reason = `Bounced: ${bounce.diagnostic || bounce.status}`.slice(0, 500);
  const outcome = await applyRecipientStatus(deps, scope, {
    providerMessageId: bounce.messageId,
    status: "bounced",
    at: deps.clock.now(),
    errorCode: bounce.status.slice(0, 32),
    errorReason: reason,
  });
  if (outcome !== "applied") return "not_found";
  // The address is suppressed for later e-mail campaigns (a replayed DSN adds nothing).
  const recipientId = await recipientOfMessage(deps, scope, bounce.messageId);
  if (recipientId !== null) await suppressBouncedRecipient(deps, scope, recipientId, reason);
  // Open results pages count the bounce now (not awaited, like the sender's own signal).
  for (const campaignId of await campaignsOfMessages(deps, scope, [bounce.messageId]))
    void signalCampaign(bounce.businessId, campaignId);
  return "bounced";
}
