import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { handleWhatsAppWebhook } from "../../commands/channels/whatsappWebhook";
import { webhookBodySchema } from "../../commands/channels/webhookPayload";
import { AppError } from "../../errors";
import type { Call, Verifier } from "../../http/endpoint";
import { reply } from "../../http/outcomes";
import { whatsAppSignatureValid } from "../../integrations/whatsapp/signature";

type WebhookCall<Q = unknown> = Call<"webhook", unknown, unknown, Q, unknown, unknown>;

export const handshakeQuery = z.looseObject({
  "hub.mode": z.string().max(40).optional(),
  "hub.verify_token": z.string().max(500).optional(),
  "hub.challenge": z.string().max(500).optional(),
});

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** GET /webhooks/whatsapp: the challenge back as the body when the verify token matches, else 403. */
export function verifyHandshake({
  res,
  deps,
  query,
}: WebhookCall<z.output<typeof handshakeQuery>>) {
  const expected = deps.config.WHATSAPP_VERIFY_TOKEN;
  const token = query["hub.verify_token"] ?? "";
  const challenge = query["hub.challenge"] ?? "";
  if (!expected || query["hub.mode"] !== "subscribe" || !challenge || !sameText(token, expected)) {
    res.status(403).type("text/plain").send("Forbidden");
    return;
  }
  res.status(200).type("text/plain").send(challenge);
}

/**
 * X-Hub-Signature-256 over the raw body with WHATSAPP_APP_SECRET, in constant time. Missing,
 * wrong, or no secret configured: 401 before anything is parsed or applied.
 */
export const verifyWhatsAppSignature: Verifier = ({ req, deps, rawBody }) => {
  const secret = deps.config.WHATSAPP_APP_SECRET;
  if (!secret || !whatsAppSignatureValid(secret, rawBody, req.get("x-hub-signature-256")))
    throw new AppError("unauthorized", "Missing or invalid X-Hub-Signature-256.");
  return true;
};

/** POST /webhooks/whatsapp: applied at once; 503 asks Meta to deliver again (see WebhookOutcome). */
export async function receiveWhatsAppWebhook({ deps, rawBody }: WebhookCall) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new AppError("bad_request", "The body is not JSON.");
  }
  const body = webhookBodySchema.safeParse(parsed);
  if (!body.success) throw new AppError("bad_request", "Not a WhatsApp webhook this app reads.");
  if (body.data.object !== "whatsapp_business_account")
    return reply({ ignored: body.data.object }, "Not a WhatsApp Business Account event.");
  const outcome = await handleWhatsAppWebhook(deps, body.data);
  if (outcome.unknownNumbers > 0 || outcome.statuses.notFound > 0)
    deps.logger.info({ outcome }, "whatsapp webhook: some events had no match");
  if (outcome.retryLater)
    throw new AppError(
      "service_unavailable",
      "A status names a message not recorded yet; deliver again shortly.",
    );
  return reply(outcome, "Received.");
}
