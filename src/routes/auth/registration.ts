import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import { logActivity } from "../../commands/activityLogger";
import {
  activateAccount,
  activationLinkIsValid,
  registerUser,
  resendActivation,
} from "../../commands/registration";
import { startBrowserSession } from "../../lib/browserSessions";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { flash } from "../../middleware/flash";
import { emailOnlySchema, registerSchema } from "./schema";

const messages = {
  checkEmail:
    "Check your inbox: we sent a link to finish setting up your account. It works for 48 hours.",
  resent: "If that address has an account waiting for activation, a new link is on its way.",
  activated: "Your account is active. Welcome!",
  badLink: "That activation link is invalid, already used or expired. Ask for a new one below.",
};

function form(
  req: Request,
  title: string,
  values: Record<string, unknown> = {},
  errors: FieldErrors = {},
) {
  return { layout: "public", title, csrfToken: csrfToken(req), values, errors };
}

/** A used or expired activation link: say so, with the form to send a new one. */
function linkExpired(req: Request, res: Response): void {
  res
    .status(400)
    .render("auth/resend", form(req, "Activation link expired", {}, { form: messages.badLink }));
}

/** Sign-up, activation by e-mailed link, and resending that link. */
export function registrationPages(deps: Deps): Router {
  const router = Router();

  router.get("/register", (req, res) => {
    if (req.currentUser) return res.redirect("/");
    res.render("auth/register", form(req, "Create your account"));
  });

  router.post("/register", async (req, res) => {
    const input = parseForm(registerSchema, req.body);
    if (!input.ok) {
      const { name, email } = req.body as Record<string, unknown>;
      res
        .status(422)
        .render("auth/register", form(req, "Create your account", { name, email }, input.errors));
      return;
    }
    await registerUser(deps, input.data);
    res.render("auth/check-email", {
      layout: "public",
      title: "Check your e-mail",
      message: messages.checkEmail,
    });
  });

  // Opening the link only shows a button: a GET must not sign anyone in (mail scanners open links,
  // and a crafted link would sign a victim into someone else's account).
  router.get("/activate", async (req, res) => {
    const token = String(req.query.token ?? "");
    if (!(await activationLinkIsValid(deps, token))) {
      linkExpired(req, res);
      return;
    }
    res.render("auth/activate", { ...form(req, "Activate your account"), token });
  });

  router.post("/activate", async (req, res) => {
    const result = await activateAccount(deps, String(req.body.token ?? ""));
    if (result.status === "invalid") {
      linkExpired(req, res);
      return;
    }
    await logActivity(deps.models, req, { userId: result.user.id, action: "account.activated" });
    if (result.status === "choose_password") {
      res.redirect(`/reset-password?token=${encodeURIComponent(result.resetToken)}`);
      return;
    }
    await startBrowserSession(req, result.user.id);
    flash(req, "success", messages.activated);
    res.redirect("/");
  });

  router.get("/activate/resend", (req, res) => {
    res.render("auth/resend", form(req, "Resend activation link"));
  });

  router.post("/activate/resend", async (req, res) => {
    const input = parseForm(emailOnlySchema, req.body);
    if (!input.ok) {
      res
        .status(422)
        .render("auth/resend", form(req, "Resend activation link", req.body, input.errors));
      return;
    }
    await resendActivation(deps, input.data.email);
    res.render("auth/check-email", {
      layout: "public",
      title: "Check your e-mail",
      message: messages.resent,
    });
  });

  return router;
}
