import type { NextFunction, Request, Response } from "express";
import type { FlashMessage } from "../types/session";

/** Queues a message for the next page this browser sees. */
export function flash(req: Request, type: FlashMessage["type"], message: string): void {
  req.session.flash = [...(req.session.flash ?? []), { type, message }];
}

/**
 * Hands queued messages to the next page that renders, once. They are taken when the template
 * reads them, not before: a redirect on the way (e.g. to onboarding) must not swallow them.
 */
export function flashMessages(req: Request, res: Response, next: NextFunction): void {
  if (req.session?.flash?.length) {
    Object.defineProperty(res.locals, "flash", {
      enumerable: true,
      configurable: true,
      get() {
        const messages = req.session.flash ?? [];
        delete req.session.flash;
        Object.defineProperty(res.locals, "flash", {
          value: messages,
          enumerable: true,
          configurable: true,
        });
        return messages;
      },
    });
  }
  next();
}
