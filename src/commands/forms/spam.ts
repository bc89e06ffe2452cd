import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "../../config";

/**
 * The visitor-facing anti-spam checks of public forms (the per-IP limit is the route's). A page
 * carries a token signed with a key derived from the session secret: the form's id and the moment
 * the page was served, by the injected clock. Sending it sooner than FORMS_MIN_FILL_SECONDS is a
 * bot's speed; a token of another form, altered, or missing is a bot's too. A page left open past
 * FORMS_TOKEN_MAX_AGE_HOURS is a person's: they get the form back to send again.
 */

/** The hidden field people never see (hidden by CSS) and bots fill in. */
export const honeypotField = "company_website";
export const tokenField = "_form_token";

export type TokenVerdict = "ok" | "too_fast" | "expired" | "invalid";

const keys = new WeakMap<object, Buffer>();

/** A key of its own for form tokens, so a form token is never valid as anything else. */
function keyOf(config: Pick<Config, "sessionSecret">): Buffer {
  let key = keys.get(config);
  if (!key) {
    key = createHmac("sha256", config.sessionSecret).update("public-form-token").digest();
    keys.set(config, key);
  }
  return key;
}

function signature(config: Pick<Config, "sessionSecret">, formId: number, issuedAt: number) {
  return createHmac("sha256", keyOf(config))
    .update(`${formId}.${issuedAt}`)
    .digest("base64url")
    .slice(0, 32);
}

/** The token a form page carries: when it was issued, signed together with the form's id. */
export function issueFormToken(
  config: Pick<Config, "sessionSecret">,
  formId: number,
  now: Date,
): string {
  const issuedAt = now.getTime();
  return `${issuedAt.toString(36)}.${signature(config, formId, issuedAt)}`;
}

/** Whether a sent token is this form's, and whether it came after the minimum fill time. */
export function checkFormToken(
  config: Pick<Config, "sessionSecret" | "FORMS_MIN_FILL_SECONDS" | "FORMS_TOKEN_MAX_AGE_HOURS">,
  formId: number,
  token: unknown,
  now: Date,
): TokenVerdict {
  if (typeof token !== "string" || token.length > 64) return "invalid";
  const [time, sent] = token.split(".");
  if (!time || !sent || !/^[0-9a-z]{1,12}$/.test(time)) return "invalid";
  const issuedAt = parseInt(time, 36);
  const expected = Buffer.from(signature(config, formId, issuedAt));
  const given = Buffer.from(sent);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
  const age = now.getTime() - issuedAt;
  // A minute of clock difference between web processes is tolerated; more is not ours.
  if (age < -60_000) return "invalid";
  if (age < config.FORMS_MIN_FILL_SECONDS * 1000) return "too_fast";
  if (age > config.FORMS_TOKEN_MAX_AGE_HOURS * 3_600_000) return "expired";
  return "ok";
}
