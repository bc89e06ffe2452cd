import type { z } from "zod";
import {
  capturePayment,
  failPayment,
  paymentForCheckoutCallback,
} from "../../commands/billing/apply";
import { handleRazorpayEvent, razorpayEventSchema } from "../../commands/billing/webhooks";
import { AppError } from "../../errors";
import type { Call, Verifier } from "../../http/endpoint";
import { redirect, reply } from "../../http/outcomes";
import {
  paymentSignatureValid,
  razorpayKeys,
  webhookSignatureValid,
} from "../../integrations/razorpay/client";
import type { callbackSchema } from "./schema";

/**
 * Razorpay calling us: Checkout's callback (the payer's browser, redirect mode) and the webhooks.
 * Neither has a session; each proves itself by its signature.
 */

/**
 * X-Razorpay-Signature over the raw body with RAZORPAY_WEBHOOK_SECRET, in constant time. Missing
 * or wrong: 400 (Razorpay's documented expectation for a bad request), before anything is parsed.
 */
export const verifyRazorpaySignature: Verifier = ({ req, deps, rawBody }) => {
  const secret = deps.config.RAZORPAY_WEBHOOK_SECRET;
  if (!secret || !webhookSignatureValid(secret, rawBody, req.get("x-razorpay-signature")))
    throw new AppError("bad_request", "Missing or invalid X-Razorpay-Signature.");
  return true;
};

/** POST /webhooks/razorpay: applied once (event id, then payment id), answered at once. */
export async function receiveRazorpayWebhook({
  req,
  deps,
  rawBody,
}: Call<"webhook", unknown, unknown, unknown, unknown, unknown>) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString("utf8"));
  } catch {
    throw new AppError("bad_request", "The body is not JSON.");
  }
  const body = razorpayEventSchema.safeParse(parsed);
  if (!body.success) throw new AppError("bad_request", "Not a Razorpay event this app reads.");
  const eventId = req.get("x-razorpay-event-id")?.slice(0, 64) ?? null;
  const outcome = await handleRazorpayEvent(deps, eventId, body.data);
  deps.logger.info({ event: body.data.event, eventId, outcome }, "razorpay webhook");
  return reply({ outcome }, "Received.");
}

/**
 * POST /billing/razorpay/callback/:paymentId: Checkout's redirect-mode callback. The signature is
 * checked against the order id stored with our payment row (not the one posted), then the
 * payment is applied — the same command the webhooks use, so whichever arrives first applies it
 * and the others find it done.
 */
export async function checkoutCallback({
  deps,
  params,
  body,
}: Call<
  "public",
  unknown,
  { paymentId: number },
  unknown,
  z.output<typeof callbackSchema>,
  unknown
>) {
  const keys = razorpayKeys(deps.config);
  const payment = await paymentForCheckoutCallback(deps, params.paymentId);
  if (!keys || !payment) throw AppError.notFound();
  const paymentId = body.razorpay_payment_id;
  const signature = body.razorpay_signature;
  if (paymentId && signature) {
    if (!paymentSignatureValid(keys.keySecret, payment.orderId, paymentId, signature))
      throw new AppError("bad_request", "The payment's signature does not match this order.");
    await capturePayment(deps, { orderId: payment.orderId, paymentId, source: "checkout" });
    return redirect(`/billing?payment=${payment.id}`, undefined, { status: 303 });
  }
  const failure = checkoutFailureOf(body);
  // Recorded only when the failure names the order we stored for this payment (in its metadata):
  // the fields are unsigned, but the order id is known only to the payer's Checkout. A failure
  // never overwrites a capture, and a later success on the same order still applies.
  if (failure.orderId === payment.orderId)
    await failPayment(deps, { orderId: payment.orderId, reason: failure.reason });
  return redirect(`/billing/pay/${payment.id}?failed=1`, undefined, { status: 303 });
}

/** Checkout's error fields, as the payer can read them, and the order its metadata names. */
export function checkoutFailureOf(body: z.output<typeof callbackSchema>): {
  reason: string;
  orderId: string | null;
} {
  const description = body["error[description]"]?.trim() || "The payment did not go through.";
  const why = body["error[reason]"]?.trim() || body["error[code]"]?.trim();
  let orderId: string | null = null;
  try {
    const metadata: unknown = JSON.parse(body["error[metadata]"] ?? "null");
    if (metadata && typeof metadata === "object" && "order_id" in metadata)
      orderId = typeof metadata.order_id === "string" ? metadata.order_id : null;
  } catch {
    orderId = null;
  }
  return { reason: `${description}${why ? ` (${why.replace(/_/g, " ")})` : ""}`, orderId };
}
