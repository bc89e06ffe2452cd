import { createHash } from "node:crypto";

/**
 * The public name of a session in pages and URLs. Session ids stay out of HTML, links and logs;
 * the handle is a hash that only identifies a row among the signed-in person's own sessions.
 */
export function sessionHandle(sid: string): string {
  return createHash("sha256").update(`session:${sid}`).digest("hex").slice(0, 24);
}
