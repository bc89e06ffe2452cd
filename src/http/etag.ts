import { createHash } from "node:crypto";

const lessThan = 0x3c;

/**
 * Express's weak ETag (the body's length and SHA-1) for JSON and other bodies, but none for
 * HTML: a page carries the session's CSRF token and its flash messages and is built in full
 * whether or not the browser has it, so hashing its 20–35 KB on every request (~2% of a list
 * page's CPU) bought a rare 304 and nothing else. API clients keep their conditional GETs.
 */
export function etagUnlessHtml(
  body: Buffer | string,
  encoding?: BufferEncoding,
): string | undefined {
  // Express hands the body over as bytes once it knows an ETag function.
  const bytes = typeof body === "string" ? Buffer.from(body, encoding) : body;
  if (bytes[0] === lessThan) return undefined;
  const hash = createHash("sha1").update(bytes).digest("base64").slice(0, 27);
  return `W/"${bytes.length.toString(16)}-${hash}"`;
}
