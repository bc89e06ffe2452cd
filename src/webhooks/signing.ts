import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * How a payload is signed, as README "Outbound webhooks" describes it for receivers:
 * signature = hex(HMAC-SHA256(key = the endpoint's secret as UTF-8 text, message =
 * `${timestamp}.${body}`)), where timestamp is the Webhook-Timestamp header (Unix seconds) and body
 * the raw request body. Sent as `Webhook-Signature: v1=<hex>`.
 */
export const signatureVersion = "v1";

/** Receivers should refuse a timestamp further than this from their own clock (replays). */
export const toleranceSeconds = 300;

/** A new endpoint secret: 32 random bytes, prefixed so it is recognisable in a config file. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export interface SignedHeaders {
  "Webhook-Id": string;
  "Webhook-Timestamp": string;
  "Webhook-Signature": string;
}

/** How long a rotated secret keeps signing beside the new one. */
export const rotationOverlapMs = 24 * 3_600_000;

/**
 * The headers of one attempt: a fresh timestamp each time, the same event id every time. `secrets`
 * are the endpoint's current secret and, for a day after a rotation, the previous one: one `v1=`
 * signature each, so a receiver holding either verifies.
 */
export function signedHeaders(
  secrets: string | readonly string[],
  eventId: string,
  body: string,
  now: Date,
): SignedHeaders {
  const timestamp = Math.floor(now.getTime() / 1000);
  const list = typeof secrets === "string" ? [secrets] : secrets;
  return {
    "Webhook-Id": eventId,
    "Webhook-Timestamp": String(timestamp),
    "Webhook-Signature": list
      .map((secret) => `${signatureVersion}=${sign(secret, timestamp, body)}`)
      .join(" "),
  };
}

/** The secrets that sign now: the current one, and the previous one during its overlap. */
export function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretUntil: Date | null },
  now: Date,
): string[] {
  const overlap =
    endpoint.previousSecret !== null &&
    endpoint.previousSecretUntil !== null &&
    endpoint.previousSecretUntil.getTime() > now.getTime();
  return overlap ? [endpoint.secret, endpoint.previousSecret as string] : [endpoint.secret];
}

/**
 * What a receiver does (kept here for tests and for anyone writing one in TypeScript): true when
 * one of the header's v1 signatures matches and the timestamp is within the tolerance of `now`.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string; signature: string },
  body: string,
  now: Date,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, body), "hex");
  return headers.signature.split(" ").some((part) => {
    const [version, hex] = part.split("=", 2);
    if (version !== signatureVersion || !hex) return false;
    const given = Buffer.from(hex, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
