import type { Response } from "express";
import type { SignInResult } from "../../commands/authenticator";
import { AppError } from "../../errors";
import type { LoginRefusal } from "../../lib/loginLimiter";

const messages = {
  invalid: "That e-mail and password do not match an account.",
  notActivated:
    "Your account is not activated yet. Open the link in the e-mail we sent you when you signed up (it works for 48 hours), or send yourself a new one.",
};

/** The wait, in words: seconds under a minute, minutes above. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Why a sign-in was not tried, and when to try again (the page and the API say the same). */
export function limitedMessage(limit: LoginRefusal): string {
  const wait = waitText(limit.retryAfterSeconds);
  return limit.scope === "account"
    ? `Too many wrong passwords for this account from your network. Try again in ${wait}, or reset your password.`
    : `Too many failed sign-ins from your network. Try again in ${wait}.`;
}

/**
 * A sign-in that did not go through, as the error both the page and the API answer with: a wrong
 * password (the same words as an unknown address), an account still to activate (only after its
 * correct password), or a limit with its Retry-After.
 */
export function signInError(res: Response, result: Exclude<SignInResult, { ok: true }>): AppError {
  if (result.reason === "limited") {
    res.setHeader("Retry-After", String(result.limit.retryAfterSeconds));
    return new AppError("rate_limited", limitedMessage(result.limit), {
      retryAfterSeconds: result.limit.retryAfterSeconds,
      scope: result.limit.scope,
    });
  }
  if (result.reason === "not_activated")
    return new AppError("unauthorized", messages.notActivated, { reason: "not_activated" });
  return new AppError("unauthorized", messages.invalid);
}
