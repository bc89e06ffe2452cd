import { timingSafeEqual } from "node:crypto";
import { recordBounce } from "../../commands/tracking/bounces";
import type { Call, Verifier } from "../../http/endpoint";
import { reply } from "../../http/outcomes";

/**
 * The same shared secret and header as the inbound-mail webhook (INBOUND_MAIL_SECRET,
 * X-Inbound-Mail-Secret): the mail provider's forwarding rule that posts replies posts bounces.
 */
export const verifyBounceSecret: Verifier = ({ req, deps }) => {
  const expected = deps.config.INBOUND_MAIL_SECRET;
  const given = req.get("x-inbound-mail-secret");
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * POST /webhooks/mail/bounces: one DSN, raw (message/rfc822 or text). Always 200 once
 * authenticated: a DSN that is not ours or only a delay is nothing to retry.
 */
export async function receiveBounce({
  deps,
  rawBody,
}: Call<"webhook", unknown, unknown, unknown, unknown, unknown>) {
  const outcome = await recordBounce(deps, rawBody.toString("utf8"));
  return reply({ outcome }, outcome === "bounced" ? "Recorded as bounced." : "Nothing recorded.");
}
