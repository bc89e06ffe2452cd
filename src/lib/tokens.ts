import { createHash, randomBytes } from "node:crypto";

/** A random token for a link or an API credential, and the SHA-256 hash that is stored instead. */
export function newToken(bytes = 32): { token: string; hash: string } {
  const token = randomBytes(bytes).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
