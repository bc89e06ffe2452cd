import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Signed tokens of the links a campaign e-mail carries: the open pixel (o), each tracked link (c)
 * and the unsubscribe link (u). A token names the business, the customer and the recipient row
 * (0 for a "send me a test" message, which records nothing); a click token's signature also
 * covers the destination URL, so `/t/c/<token>?u=<url>` redirects only to the URL it was made
 * for — a changed `u` fails the check like a changed token. The key is derived (HKDF) from
 * SECRETS_KEY, so no setting needs adding and the key is never the encryption key itself.
 */
export const tokenKinds = ["o", "c", "u"] as const;
export type TokenKind = (typeof tokenKinds)[number];

export interface TrackingToken {
  kind: TokenKind;
  businessId: number;
  customerId: number;
  /** campaign_recipients.id; 0 for a test message (nothing is recorded for it). */
  recipientId: number;
}

const keys = new WeakMap<Buffer, Buffer>();

function keyOf(secretsKey: Buffer): Buffer {
  let key = keys.get(secretsKey);
  if (!key) {
    key = Buffer.from(
      hkdfSync("sha256", secretsKey, "crm-email-tracking", "tracking-token-v1", 32),
    );
    keys.set(secretsKey, key);
  }
  return key;
}

/** 128 bits of HMAC-SHA256, base64url: plenty against forgery, short enough for every link. */
function signatureOf(key: Buffer, body: string, url: string): Buffer {
  return createHmac("sha256", key).update(`${body}\n${url}`).digest().subarray(0, 16);
}

/** `<kind>-<business>-<customer>-<recipient>.<signature>`, numbers in base 36. */
export function signToken(secretsKey: Buffer, token: TrackingToken, url = ""): string {
  const body = [
    token.kind,
    token.businessId.toString(36),
    token.customerId.toString(36),
    token.recipientId.toString(36),
  ].join("-");
  return `${body}.${signatureOf(keyOf(secretsKey), body, url).toString("base64url")}`;
}

const shape = /^([ocu])-([0-9a-z]{1,11})-([0-9a-z]{1,11})-([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})$/;

/**
 * The token's contents when its signature matches (in constant time) for this kind and URL;
 * null for anything altered, truncated or of another kind.
 */
export function verifyToken(
  secretsKey: Buffer,
  text: string,
  kind: TokenKind,
  url = "",
): TrackingToken | null {
  const match = shape.exec(text);
  if (!match || match[1] !== kind) return null;
  const body = text.slice(0, text.indexOf("."));
  // Compared as text: 22 base64url characters carry 2 spare bits, so comparing decoded bytes
  // would accept four spellings of one signature.
  const given = Buffer.from(match[5] as string);
  const expected = Buffer.from(signatureOf(keyOf(secretsKey), body, url).toString("base64url"));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [businessId, customerId, recipientId] = [match[2], match[3], match[4]].map((part) =>
    parseInt(part as string, 36),
  ) as [number, number, number];
  if (![businessId, customerId, recipientId].every(Number.isSafeInteger)) return null;
  if (businessId <= 0 || customerId < 0 || recipientId < 0) return null;
  return { kind, businessId, customerId, recipientId };
}

/** The three kinds of link one message carries, made from one recipient. */
export interface TrackingLinks {
  openPixelUrl: string;
  unsubscribeUrl: string;
  clickUrl(destination: string): string;
}

export function trackingLinks(
  appUrl: string,
  secretsKey: Buffer,
  who: Omit<TrackingToken, "kind">,
): TrackingLinks {
  const base = appUrl.replace(/\/+$/, "");
  return {
    openPixelUrl: `${base}/t/o/${signToken(secretsKey, { ...who, kind: "o" })}.gif`,
    unsubscribeUrl: `${base}/u/${signToken(secretsKey, { ...who, kind: "u" })}`,
    clickUrl: (destination) =>
      `${base}/t/c/${signToken(secretsKey, { ...who, kind: "c" }, destination)}?u=${encodeURIComponent(destination)}`,
  };
}
