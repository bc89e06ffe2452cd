import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "../errors";

/**
 * Provider secrets at rest (access tokens, SMTP passwords): AES-256-GCM with a random 96-bit nonce.
 * Stored as "v1.<iv>.<tag>.<ciphertext>" in base64url, so a column holds it as plain text and a
 * later key scheme can add "v2" without a migration.
 */
const VERSION = "v1";

export function sealSecret(key: Buffer, plaintext: string): string {
  assertKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The plaintext, or an AppError when the box was altered or sealed with another key. */
export function openSecret(key: Buffer, sealed: string): string {
  assertKey(key);
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw unreadable();
  const [iv, tag, body] = parts.slice(1).map((part) => Buffer.from(part, "base64url")) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw unreadable();
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error("SECRETS_KEY must be 32 bytes");
}

function unreadable(): AppError {
  return new AppError(
    "conflict",
    "A stored credential could not be read; it was saved with another SECRETS_KEY. Reconnect it.",
    { reason: "secret_unreadable" },
  );
}
