import { Router } from "express";
import type { Deps } from "../../deps";
import { markAllRead, recentNotifications } from "../../commands/notifications";
import { csrfToken } from "../../middleware/csrf";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { presentNotification } from "../../presenters/notification";
import { requireBusiness, tenantOf } from "../../tenancy/context";

/** The signed-in member's notifications in the current business, newest first. */
export function notificationPages(deps: Deps): Router {
  const router = Router();
  router.use("/notifications", requireUser, requireBusiness);

  router.get("/notifications", async (req, res) => {
    const ctx = tenantOf(req);
    const notifications = await recentNotifications(deps.models, ctx.user.id, ctx.business.id);
    res.render("notifications/index", {
      title: "Notifications",
      csrfToken: csrfToken(req),
      notifications: notifications.map((n) => presentNotification(n, ctx.business.timeZone)),
      hasUnread: notifications.some((n) => n.readAt === null),
    });
  });

  router.post("/notifications/read", async (req, res) => {
    const ctx = tenantOf(req);
    await markAllRead(deps, ctx.user.id, ctx.business.id);
    flash(req, "success", "All notifications marked as read.");
    res.redirect("/notifications");
  });

  return router;
}
