import { Router } from "express";
import type { Deps } from "../../deps";
import { confirmEmailChange, requestEmailChange } from "../../commands/emailChanger";
import { updateName, updateNotificationPreferences } from "../../commands/profileUpdater";
import { fieldErrors } from "../../lib/forms";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { activityPages } from "./activityPages";
import { avatarPages } from "./avatarPages";
import { confirmSchema, emailSchema, nameSchema, notificationsSchema } from "./schema";
import { sessionsPages } from "./sessionsPages";
import { currentUserRecord, fieldErrorsOf, profileView } from "./view";

const confirmFailures = {
  invalid: {
    status: 400,
    message:
      "This link is not valid for your account. Check that you are signed in as the person who asked for the change.",
  },
  used: {
    status: 410,
    message: "This link has already been used. Each confirmation link works once.",
  },
  expired: {
    status: 410,
    message: "This link has expired. Ask for the change again from your profile.",
  },
  taken: {
    status: 409,
    message: "That e-mail address now belongs to another account, so it cannot be yours.",
  },
} as const;

/** Profile: name, e-mail change, photo, notifications; plus sessions and "my activity". */
export function profilePages(deps: Deps): Router {
  const router = Router();
  router.use(["/profile", "/avatars"], requireUser);

  router.get("/profile", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    res.render("profile/show", await profileView(deps, user));
  });

  router.post("/profile", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const parsed = nameSchema.safeParse(req.body);
    if (!parsed.success) {
      const view = await profileView(deps, user, {
        values: { name: (req.body as { name?: unknown }).name },
        errors: fieldErrors(parsed.error),
      });
      res.status(422).render("profile/show", view);
      return;
    }
    await updateName(deps.models, req, user, parsed.data.name);
    flash(req, "success", "Your name was saved.");
    res.redirect(303, "/profile");
  });

  router.post("/profile/email", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const typed = { email: (req.body as { email?: unknown }).email };
    const parsed = emailSchema.safeParse(req.body);
    if (!parsed.success) {
      const view = await profileView(deps, user, {
        values: typed,
        errors: fieldErrors(parsed.error),
      });
      res.status(422).render("profile/show", view);
      return;
    }
    try {
      await requestEmailChange(deps, req, user, parsed.data.email);
    } catch (error) {
      const failure = fieldErrorsOf(error);
      if (!failure) throw error;
      const view = await profileView(deps, user, { values: typed, errors: failure.errors });
      res.status(failure.status).render("profile/show", view);
      return;
    }
    flash(
      req,
      "info",
      `We sent a confirmation link to ${parsed.data.email}. Your address changes when you open it.`,
    );
    res.redirect(303, "/profile");
  });

  router.get("/profile/email/confirm", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const parsed = confirmSchema.safeParse(req.query);
    const result = parsed.success
      ? await confirmEmailChange(deps, req, user.id, parsed.data.token)
      : ({ ok: false, reason: "invalid" } as const);
    if (result.ok) {
      flash(req, "success", `Your e-mail address is now ${result.to}.`);
      res.redirect(303, "/profile");
      return;
    }
    const failure = confirmFailures[result.reason];
    res.status(failure.status).render("profile/email-confirm", {
      title: "E-mail change",
      message: failure.message,
    });
  });

  router.post("/profile/notifications", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const prefs = notificationsSchema.parse(req.body ?? {});
    await updateNotificationPreferences(deps.models, req, user, prefs);
    flash(req, "success", "Notification preferences saved.");
    res.redirect(303, "/profile#notifications");
  });

  router.use(avatarPages(deps));
  router.use(sessionsPages(deps));
  router.use(activityPages(deps));
  return router;
}
