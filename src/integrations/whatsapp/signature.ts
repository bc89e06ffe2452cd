import { createHmac, timingSafeEqual } from "node:crypto";

/** "sha256=<hex HMAC-SHA256 of the raw body with the app secret>": Meta's X-Hub-Signature-256. */
export function whatsAppSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** Whether the header signs these exact bytes, compared in constant time. */
export function whatsAppSignatureValid(
  appSecret: string,
  rawBody: Buffer,
  header: string | undefined,
): boolean {
  if (!appSecret || !header) return false;
  const expected = Buffer.from(whatsAppSignature(appSecret, rawBody), "utf8");
  const given = Buffer.from(header.trim(), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
