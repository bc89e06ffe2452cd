import type { NextFunction, Request, Response } from "express";
import { unreadCount } from "../commands/notifications";
import type { Models } from "../models";
import { unreadBadge } from "../presenters/notification";

/**
 * Puts the unread count for the top bar's bell in res.locals. Only page loads (GET) of a member in
 * a business pay for it: a COUNT on the (user_id, business_id, read_at) index that the context
 * loader runs inside its own statement (sessionContext asks for it), so this reads no more.
 */
export function notificationCount(models: Models) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const ctx = req.ctx;
    if (req.method !== "GET" || !ctx?.business || !req.currentUser) return next();
    const count =
      ctx.unreadNotifications ?? (await unreadCount(models, ctx.user.id, ctx.business.id));
    res.locals.unreadNotifications = count;
    res.locals.unreadBadge = unreadBadge(count);
    next();
  };
}
