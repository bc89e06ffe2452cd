import type { NextFunction, Request, Response } from "express";
import type { FlashMessage } from "../types/session";

/** Queues a message for the next page this browser sees. */
export function flash(req: Request, type: FlashMessage["type"], message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }];
}

/** Moves queued messages into the page being rendered, once. */
export function flashMessages(req: Request, res: Response, next: NextFunction): void {
  const messages = req.session?.flash;
  if (messages?.length) {
    res.locals.flash = messages;
    delete req.session.flash;
  }
  next();
}
