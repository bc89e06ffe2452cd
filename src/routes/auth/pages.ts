import type { Request } from "express";
import type { z } from "zod";
import { logActivity } from "../../commands/activityLogger";
import { signIn } from "../../commands/authenticator";
import type { CallInput, FormFailure, PageFormCall, VisitorCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { endBrowserSession, startBrowserSession } from "../../lib/browserSessions";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { sessionCookieName } from "../../middleware/session";
import type { RequestContext } from "../../tenancy/context";
import { type loginPageSchema, type loginSchema, safeNext } from "./schema";
import { signInError } from "./signInError";

const messages = {
  welcome: "Welcome back.",
  signedOut: "You have been signed out.",
  reset: "Your password was changed. Sign in with the new one.",
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

/**
 * The sign-in form again, with what went wrong (bad fields, a wrong password, too many tries); an
 * account still to activate gets the button that mails a new link.
 */
export function renderLoginFailure(
  { req, res, deps }: PageFormCall<CallInput, Visitor>,
  failure: FormFailure,
) {
  const view = loginView(req, failure.values, failure.errors, Boolean(deps.config.google));
  const notActivated = failure.error.details?.reason === "not_activated";
  res.status(failure.status).render("auth/login", { ...view, resend: notActivated });
}

/** POST /login: the limits, the password, then a fresh session. */
export async function login({ req, res, deps, body }: VisitorCall<{ body: typeof loginSchema }>) {
  const { email, password, next } = body;
  const result = await signIn(deps, req.ip ?? "unknown", email, password);
  if (!result.ok) throw signInError(res, result);
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
