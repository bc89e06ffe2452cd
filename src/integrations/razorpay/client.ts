import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "../../config";
import { AppError } from "../../errors";

/**
 * A thin Razorpay client: orders over REST with a configurable base (RAZORPAY_API_URL), and the
 * two signature checks. The `razorpay` SDK hard-codes its host, so tests could not exercise the
 * path production uses; this client is that one path, pointed at the stand-in by configuration.
 */
export interface RazorpayKeys {
  keyId: string;
  keySecret: string;
  apiUrl: string;
  checkoutUrl: string;
}

/** The keys, or null when payments are not configured (no key id/secret). */
export function razorpayKeys(config: Config): RazorpayKeys | null {
  if (!config.RAZORPAY_KEY_ID || !config.RAZORPAY_KEY_SECRET) return null;
  return {
    keyId: config.RAZORPAY_KEY_ID,
    keySecret: config.RAZORPAY_KEY_SECRET,
    apiUrl: config.RAZORPAY_API_URL.replace(/\/+$/, ""),
    checkoutUrl: config.RAZORPAY_CHECKOUT_URL,
  };
}

export interface RazorpayOrder {
  id: string;
  amount: number;
  currency: string;
  receipt: string;
  status: string;
}

export interface OrderInput {
  /** Integer paise, at least 100. */
  amount: number;
  receipt: string;
  notes?: Record<string, string>;
}

const timeoutMs = 10_000;

/** POST /v1/orders. Razorpay's error description becomes a 503 the person can read. */
export async function createOrder(keys: RazorpayKeys, input: OrderInput): Promise<RazorpayOrder> {
  if (!Number.isInteger(input.amount) || input.amount < 100)
    throw new AppError("validation_failed", "Razorpay takes amounts of at least ₹1 (100 paise).");
  const auth = Buffer.from(`${keys.keyId}:${keys.keySecret}`).toString("base64");
  let response: Response;
  try {
    response = await fetch(`${keys.apiUrl}/v1/orders`, {
      method: "POST",
      headers: { authorization: `Basic ${auth}`, "content-type": "application/json" },
      body: JSON.stringify({
        amount: input.amount,
        currency: "INR",
        receipt: input.receipt,
        notes: input.notes ?? {},
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new AppError(
      "service_unavailable",
      "Razorpay could not be reached. Nothing was charged; please try again in a minute.",
    );
  }
  const body = (await response.json().catch(() => null)) as
    (Partial<RazorpayOrder> & { error?: { description?: string } }) | null;
  if (!response.ok || !body?.id) {
    const why = body?.error?.description ?? `HTTP ${response.status}`;
    throw new AppError(
      "service_unavailable",
      `Razorpay refused the order (${why}). Nothing was charged.`,
    );
  }
  return {
    id: body.id,
    amount: Number(body.amount),
    currency: String(body.currency),
    receipt: String(body.receipt),
    status: String(body.status),
  };
}

export function hmacHex(secret: string, data: string | Buffer): string {
  return createHmac("sha256", secret).update(data).digest("hex");
}

/** Constant-time comparison of two hex signatures (false for anything malformed). */
export function sameSignature(expected: string, given: string | undefined | null): boolean {
  if (!given || !/^[0-9a-f]+$/i.test(given)) return false;
  const a = Buffer.from(expected, "hex");
  const b = Buffer.from(given.toLowerCase(), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checkout's signature: HMAC-SHA256 of "{order_id}|{payment_id}" with the key secret. */
export function paymentSignatureValid(
  keySecret: string,
  storedOrderId: string,
  paymentId: string,
  signature: string,
): boolean {
  return sameSignature(hmacHex(keySecret, `${storedOrderId}|${paymentId}`), signature);
}

/** X-Razorpay-Signature: HMAC-SHA256 of the raw body with the webhook secret. */
export function webhookSignatureValid(
  webhookSecret: string,
  rawBody: Buffer,
  signature: string | undefined,
): boolean {
  return sameSignature(hmacHex(webhookSecret, rawBody), signature);
}
