import { markAllRead, recentNotifications } from "../../commands/notifications";
import { endpoint, type Endpoint } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import { presentNotification } from "../../presenters/notification";

/** The signed-in member's notifications in the current business, newest first. */
export const notificationEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/notifications",
    auth: "page",
    permission: "member",
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
  endpoint({
    method: "post",
    path: "/notifications/read",
    auth: "page",
    permission: "member",
    handler: async ({ deps, ctx }) => {
      await markAllRead(deps, ctx.user.id, ctx.business.id);
      return redirect("/notifications", "All notifications marked as read.");
    },
  }),
];
