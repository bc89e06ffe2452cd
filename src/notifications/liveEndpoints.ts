import { unreadCount } from "../commands/notifications";
import { AppError } from "../errors";
import { routes, type Endpoint, type PageCall } from "../http/endpoint";
import { idParams } from "../http/params";
import { redirect } from "../http/outcomes";
import { unreadBadge } from "../presenters/notification";
import { findInBusiness } from "../tenancy/scope";
import { liveNotificationsFor } from "./live";

const page = routes({ auth: "page" });

/** A comment line now and then keeps proxies from closing a quiet stream. */
const heartbeatMs = 25_000;

/**
 * GET /notifications/live: a server-sent-event stream of the member's unread count in the current
 * business — once at the start, then whenever a notification of theirs is created or read, in any
 * process (notifications/live.ts) — and of the dashboard cards of the business that changed
 * (`event: dashboard`, card names; public/js/dashboard.js reloads them). public/js/live.js updates the bell from it; without JavaScript
 * the bell shows the count of the page's load. `Cache-Control: no-transform` keeps the
 * compression middleware from buffering the stream.
 */
async function streamUnread({ req, res, deps, ctx }: PageCall) {
  // Opened as a page (a typed address, a link checker): the notifications themselves.
  if (!(req.get("accept") ?? "").includes("text/event-stream")) return redirect("/notifications");
  const live = liveNotificationsFor(deps.config);
  const member = { userId: ctx.user.id, businessId: ctx.business.id };
  res.status(200);
  res.set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  let closed = false;
  let sending = Promise.resolve();
  const send = () => {
    // One count at a time, in order: a burst of signals ends with the latest count.
    sending = sending.then(async () => {
      if (closed) return;
      const count = await unreadCount(deps.models, member.userId, member.businessId);
      if (closed) return;
      res.write(`event: unread\ndata: ${JSON.stringify({ count, badge: unreadBadge(count) })}\n\n`);
    });
    sending.catch(() => undefined);
  };
  const heartbeat = setInterval(() => !closed && res.write(": still here\n\n"), heartbeatMs);
  heartbeat.unref();
  const stopListening = await live.listen(member, send);
  // Dashboard cards that changed: names only; the page reloads them through its own scope.
  const stopDashboard = await live.listenDashboard(member.businessId, (cards) => {
    if (!closed) res.write(`event: dashboard\ndata: ${JSON.stringify({ cards })}\n\n`);
  });
  const stopShutdown = live.onShutdown(() => res.end());
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    stopListening();
    stopDashboard();
    stopShutdown();
  };
  req.on("close", finish);
  res.on("close", finish);
  send();
}

/** POST /notifications/:notificationId/read: one of the member's own notifications, read. */
async function markOneRead({ deps, ctx, params }: PageCall<{ params: typeof oneParams }>) {
  const { Notification } = deps.models;
  const notification = await findInBusiness(ctx, Notification, params.notificationId);
  // Another member's notification is as good as missing.
  if (notification.userId !== ctx.user.id) throw AppError.notFound();
  if (notification.readAt === null) {
    await notification.update({ readAt: deps.clock.now() });
    await liveNotificationsFor(deps.config).publish([
      { userId: ctx.user.id, businessId: ctx.business.id },
    ]);
  }
  return redirect("/notifications", "Marked as read.");
}

const oneParams = idParams("notificationId");

export const liveNotificationEndpoints: Endpoint[] = [
  page.get("/notifications/live", "member", { handler: streamUnread }),
  page.post("/notifications/:notificationId/read", "member", {
    params: oneParams,
    handler: markOneRead,
  }),
];
