import { timingSafeEqual } from "node:crypto";
import { threadInboundMail } from "../../commands/tickets/inbound";
import type { Call, Verifier } from "../../http/endpoint";
import { reply } from "../../http/outcomes";
import type { inboundMailSchema } from "./schema";
import type { z } from "zod";

/** The header the mail provider (or its forwarding script) sends the shared secret in. */
export const inboundSecretHeader = "x-inbound-mail-secret";

/** The shared secret of INBOUND_MAIL_SECRET, compared in constant time. */
export const verifyInboundSecret: Verifier = ({ req, deps }) => {
  const expected = deps.config.INBOUND_MAIL_SECRET;
  const given = req.get(inboundSecretHeader);
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * POST /webhooks/mail/inbound: a customer's e-mail answer, threaded onto its ticket by the reply
 * token. Always 200 once authenticated (a mail that names no ticket is not the provider's fault,
 * and a retry would not change it); the outcome says what happened.
 */
export async function receiveInboundMail({
  deps,
  body,
}: Call<"webhook", unknown, unknown, unknown, z.output<typeof inboundMailSchema>, unknown>) {
  const result = await threadInboundMail(deps, body);
  if (result.outcome === "no_ticket") deps.logger.info("inbound mail names no ticket: dropped");
  return reply(result, result.outcome === "threaded" ? "Threaded." : "Nothing to thread.");
}
