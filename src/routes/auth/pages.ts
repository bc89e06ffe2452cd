import { Router, type Request } from "express";
import type { Deps } from "../../deps";
import { logActivity } from "../../commands/activityLogger";
import { authenticate } from "../../commands/authenticator";
import { endBrowserSession, startBrowserSession } from "../../lib/browserSessions";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { flash } from "../../middleware/flash";
import { sessionCookieName } from "../../middleware/session";
import { loginSchema, safeNext } from "./schema";

const messages = {
  invalid: "That e-mail and password do not match an account.",
  notActivated: "Activate your account from the e-mail we sent before signing in.",
  welcome: "Welcome back.",
  signedOut: "You have been signed out.",
  reset: "Your password was changed. Sign in with the new one.",
  limited: (seconds: number) =>
    `Too many sign-in attempts. Try again in ${Math.max(1, Math.ceil(seconds / 60))} minute(s), or reset your password.`,
};

export function authPages(deps: Deps): Router {
  const { models, loginLimiter } = deps;
  const google = Boolean(deps.config.google);
  const router = Router();

  const loginView = (req: Request, values: Record<string, unknown>, errors: FieldErrors = {}) => ({
    layout: "public",
    title: "Sign in",
    csrfToken: csrfToken(req),
    notice: req.query.signedOut ? messages.signedOut : req.query.reset ? messages.reset : undefined,
    values,
    errors,
    google,
  });

  router.get("/login", (req, res) => {
    if (req.currentUser) return res.redirect("/");
    res.render("auth/login", loginView(req, { next: req.query.next }));
  });

  router.post("/login", async (req, res) => {
    const input = parseForm(loginSchema, req.body);
    if (!input.ok) {
      res.status(422).render("auth/login", loginView(req, req.body, input.errors));
      return;
    }
    const { email, password, next } = input.data;
    const limit = await loginLimiter.attempt(req.ip ?? "unknown", email);
    if (!limit.allowed) {
      res.setHeader("Retry-After", String(limit.retryAfterSeconds));
      res
        .status(429)
        .render(
          "auth/login",
          loginView(req, { email, next }, { form: messages.limited(limit.retryAfterSeconds) }),
        );
      return;
    }
    const result = await authenticate(models, email, password);
    if (!result.ok) {
      const message = result.reason === "not_activated" ? messages.notActivated : messages.invalid;
      res.status(401).render("auth/login", loginView(req, { email, next }, { form: message }));
      return;
    }
    await loginLimiter.succeeded(email);
    await startBrowserSession(req, result.user.id);
    await logActivity(models, req, {
      userId: result.user.id,
      action: "auth.sign_in",
      details: { method: "password" },
    });
    flash(req, "success", messages.welcome);
    res.redirect(safeNext(next));
  });

  router.post("/logout", async (req, res) => {
    await endBrowserSession(req);
    res.clearCookie(sessionCookieName);
    res.redirect("/login?signedOut=1");
  });

  return router;
}
