import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import { logActivity } from "../../commands/activityLogger";
import {
  changePassword,
  requestPasswordReset,
  resetLinkIsValid,
  resetPassword,
} from "../../commands/passwords";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { changePasswordSchema, emailOnlySchema, resetPasswordSchema } from "./schema";

const messages = {
  resetSent:
    "If that address has an account, a link to choose a new password is on its way. It works for one hour.",
  badLink: "That link is invalid, already used or expired. Ask for a new one.",
  resetDone:
    "Your password is changed and every other session was signed out. Sign in with the new password.",
  changed: "Password changed. Your other sessions were signed out.",
};

function page(
  req: Request,
  title: string,
  extra: Record<string, unknown> = {},
  errors: FieldErrors = {},
) {
  return { layout: "public", title, csrfToken: csrfToken(req), errors, ...extra };
}

/** A used or expired reset link: say so, and offer to send a new one. */
function linkExpired(req: Request, res: Response): void {
  res
    .status(400)
    .render(
      "auth/forgot-password",
      page(req, "Link expired", { values: {} }, { form: messages.badLink }),
    );
}

/** Forgot → e-mailed link → reset; and change password for signed-in people. */
export function passwordPages(deps: Deps): Router {
  const router = Router();

  router.get("/forgot-password", (req, res) => {
    res.render("auth/forgot-password", page(req, "Forgot your password?", { values: {} }));
  });

  router.post("/forgot-password", async (req, res) => {
    const input = parseForm(emailOnlySchema, req.body);
    if (!input.ok) {
      res
        .status(422)
        .render(
          "auth/forgot-password",
          page(req, "Forgot your password?", { values: req.body }, input.errors),
        );
      return;
    }
    await requestPasswordReset(deps, input.data.email);
    res.render("auth/check-email", {
      layout: "public",
      title: "Check your e-mail",
      message: messages.resetSent,
    });
  });

  router.get("/reset-password", async (req, res) => {
    const token = String(req.query.token ?? "");
    if (!(await resetLinkIsValid(deps, token))) {
      linkExpired(req, res);
      return;
    }
    res.render("auth/reset-password", page(req, "Choose a new password", { token }));
  });

  router.post("/reset-password", async (req, res) => {
    const input = parseForm(resetPasswordSchema, req.body);
    const token = String((req.body as Record<string, unknown>).token ?? "");
    if (!input.ok) {
      res
        .status(422)
        .render("auth/reset-password", page(req, "Choose a new password", { token }, input.errors));
      return;
    }
    const user = await resetPassword(deps, input.data.token, input.data.password);
    if (!user) {
      linkExpired(req, res);
      return;
    }
    await logActivity(deps.models, req, { userId: user.id, action: "password.reset" });
    res.redirect(`/login?reset=1`);
  });

  router.get("/account/password", requireUser, (req, res) => {
    res.render("auth/change-password", {
      title: "Change password",
      csrfToken: csrfToken(req),
      errors: {},
    });
  });

  router.post("/account/password", requireUser, async (req, res) => {
    const user = req.currentUser!;
    const input = parseForm(changePasswordSchema, {
      ...req.body,
      email: user.email,
      name: user.name,
    });
    const render = (status: number, errors: FieldErrors) =>
      res.status(status).render("auth/change-password", {
        title: "Change password",
        csrfToken: csrfToken(req),
        errors,
      });
    if (!input.ok) return render(422, input.errors);
    const result = await changePassword(
      deps,
      user.id,
      input.data.currentPassword,
      input.data.password,
      req.sessionID,
    );
    if (!result.ok) return render(422, { [result.field]: result.message });
    await logActivity(deps.models, req, { userId: user.id, action: "password.changed" });
    flash(req, "success", messages.changed);
    res.redirect("/account/password");
  });

  return router;
}
