import { markAllRead, recentNotifications } from "../../commands/notifications";
import { routes, type Endpoint } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import { presentNotification } from "../../presenters/notification";

const page = routes({ auth: "page" });

/** The signed-in member's notifications in the current business, newest first. */
export const notificationEndpoints: Endpoint[] = [
  page.get("/notifications", "member", {
    handler: async ({ req, res, deps, ctx }) => {
      const notifications = await recentNotifications(deps.models, ctx.user.id, ctx.business.id);
      res.render("notifications/index", {
        title: "Notifications",
        csrfToken: csrfToken(req),
        notifications: notifications.map((n) => presentNotification(n, ctx.business.timeZone)),
        hasUnread: notifications.some((n) => n.readAt === null),
      });
    },
  }),
  page.post("/notifications/read", "member", {
    handler: async ({ deps, ctx }) => {
      await markAllRead(deps, ctx.user.id, ctx.business.id);
      return redirect("/notifications", "All notifications marked as read.");
    },
  }),
];
