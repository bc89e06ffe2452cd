import type { Request } from "express";
import type { z } from "zod";
import { logActivity } from "../../commands/activityLogger";
import { authenticate } from "../../commands/authenticator";
import { AppError } from "../../errors";
import type { CallInput, PageFormCall, VisitorCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { endBrowserSession, startBrowserSession } from "../../lib/browserSessions";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { sessionCookieName } from "../../middleware/session";
import type { RequestContext } from "../../tenancy/context";
import { type loginPageSchema, type loginSchema, safeNext } from "./schema";

const messages = {
  invalid: "That e-mail and password do not match an account.",
  notActivated: "Activate your account from the e-mail we sent before signing in.",
  welcome: "Welcome back.",
  signedOut: "You have been signed out.",
  reset: "Your password was changed. Sign in with the new one.",
  limited: (seconds: number) =>
    `Too many sign-in attempts. Try again in ${Math.max(1, Math.ceil(seconds / 60))} minute(s), or reset your password.`,
};

type Visitor = RequestContext | undefined;

function loginView(
  req: Request,
  values: Record<string, unknown>,
  errors: FieldErrors,
  google: boolean,
  query: z.infer<typeof loginPageSchema> = {},
) {
  return {
    layout: "public",
    title: "Sign in",
    csrfToken: csrfToken(req),
    notice: query.signedOut ? messages.signedOut : query.reset ? messages.reset : undefined,
    values,
    errors,
    google,
  };
}

/** GET /login */
export function showLogin({
  req,
  res,
  deps,
  query,
}: VisitorCall<{ query: typeof loginPageSchema }>) {
  if (req.currentUser) return redirect("/");
  res.render(
    "auth/login",
    loginView(req, { next: query.next }, {}, Boolean(deps.config.google), query),
  );
}

/** The sign-in form again, with what went wrong (bad fields, a wrong password, too many tries). */
export function renderLoginFailure(
  { req, res, deps }: PageFormCall<CallInput, Visitor>,
  failure: { values: Record<string, unknown>; errors: FieldErrors; status: number },
) {
  res
    .status(failure.status)
    .render(
      "auth/login",
      loginView(req, failure.values, failure.errors, Boolean(deps.config.google)),
    );
}

/** POST /login: limits first (before the slow hash), then the password, then a fresh session. */
export async function login({ req, res, deps, body }: VisitorCall<{ body: typeof loginSchema }>) {
  const { email, password, next } = body;
  const limit = await deps.loginLimiter.attempt(req.ip ?? "unknown", email);
  if (!limit.allowed) {
    res.setHeader("Retry-After", String(limit.retryAfterSeconds));
    throw new AppError("rate_limited", messages.limited(limit.retryAfterSeconds));
  }
  const result = await authenticate(deps.models, email, password);
  if (!result.ok) {
    const notActivated = result.reason === "not_activated";
    throw new AppError("unauthorized", notActivated ? messages.notActivated : messages.invalid);
  }
  await deps.loginLimiter.succeeded(email);
  await startBrowserSession(req, result.user.id);
  await logActivity(deps.models, req, {
    userId: result.user.id,
    action: "auth.sign_in",
    details: { method: "password" },
  });
  return redirect(safeNext(next), messages.welcome);
}

/** POST /logout */
export async function logout({ req, res }: VisitorCall) {
  await endBrowserSession(req);
  res.clearCookie(sessionCookieName);
  return redirect("/login?signedOut=1");
}
