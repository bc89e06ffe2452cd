import { Router, type Request } from "express";
import { authenticate } from "../../commands/authenticator";
import { startBrowserSession } from "../../lib/browserSessions";
import { fieldErrors, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { flash } from "../../middleware/flash";
import type { Models } from "../../models";
import { loginSchema, safeNext } from "./schema";

const messages = {
  invalid: "That e-mail and password do not match an account.",
  notActivated: "Activate your account from the e-mail we sent before signing in.",
  welcome: "Welcome back.",
  signedOut: "You have been signed out.",
};

function renderLogin(req: Request, values: Record<string, unknown>, errors: FieldErrors = {}) {
  return {
    layout: "public",
    title: "Sign in",
    csrfToken: csrfToken(req),
    notice: req.query.signedOut ? messages.signedOut : undefined,
    values,
    errors,
  };
}

export function authPages(models: Models): Router {
  const router = Router();

  router.get("/login", (req, res) => {
    if (req.currentUser) return res.redirect("/");
    res.render("auth/login", renderLogin(req, { next: req.query.next }));
  });

  router.post("/login", async (req, res) => {
    const parsed = loginSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(422).render("auth/login", renderLogin(req, req.body, fieldErrors(parsed.error)));
      return;
    }
    const { email, password, next } = parsed.data;
    const result = await authenticate(models, email, password);
    if (!result.ok) {
      const message = result.reason === "not_activated" ? messages.notActivated : messages.invalid;
      res.status(401).render("auth/login", renderLogin(req, { email, next }, { form: message }));
      return;
    }
    await startBrowserSession(req, result.user.id);
    flash(req, "success", messages.welcome);
    res.redirect(safeNext(next));
  });

  router.post("/logout", (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie("crm.sid");
      res.redirect("/login?signedOut=1");
    });
  });

  return router;
}
