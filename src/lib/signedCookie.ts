import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The session cookie's value: "s:" + id + "." + base64 HMAC-SHA256 of the id without padding —
 * the format express-session wrote, so cookies issued before keep working.
 */
export function signedValue(id: string, secret: string): string {
  return `s:${id}.${mac(id, secret)}`;
}

/** The id a signed value carries, or null when it is not one this secret signed. */
export function unsignedValue(value: string, secret: string): string | null {
  if (!value.startsWith("s:")) return null;
  const dot = value.lastIndexOf(".");
  if (dot < 2) return null;
  const id = value.slice(2, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(mac(id, secret));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

function mac(id: string, secret: string): string {
  return createHmac("sha256", secret).update(id).digest("base64").replace(/=+$/, "");
}

/** The first cookie named `name` in a Cookie header, decoded; null when absent or malformed. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let raw = pair.slice(eq + 1).trim();
    if (raw.startsWith('"') && raw.endsWith('"') && raw.length > 1) raw = raw.slice(1, -1);
    try {
      return decodeURIComponent(raw);
    } catch {
      return null;
    }
  }
  return null;
}

export interface CookieAttributes {
  /** Seconds the browser keeps it: relative, so no clock of ours has to agree with the browser's. */
  maxAgeSeconds: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite: "Lax" | "Strict";
}

/** A Set-Cookie header value for the whole site. */
export function serializedCookie(name: string, value: string, attributes: CookieAttributes) {
  return (
    `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${Math.floor(attributes.maxAgeSeconds)}` +
    `${attributes.httpOnly ? "; HttpOnly" : ""}${attributes.secure ? "; Secure" : ""}` +
    `; SameSite=${attributes.sameSite}`
  );
}
