import { formatDateTime } from "../lib/dates";
import type { Notification } from "../models";

/** A notification for the list: links are followed only when they stay on this site. */
export function presentNotification(notification: Notification, timeZone: string) {
  const link = notification.link;
  return {
    id: notification.id,
    kind: notification.kind,
    title: notification.title,
    body: notification.body,
    link: link && /^\/(?![/\\])/.test(link) ? link : null,
    time: formatDateTime(notification.createdAt, timeZone),
    unread: notification.readAt === null,
  };
}

/** The top bar's badge text: exact up to 99, then "99+". */
export function unreadBadge(count: number): string | null {
  if (count <= 0) return null;
  return count > 99 ? "99+" : String(count);
}
