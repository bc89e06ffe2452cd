import type { Request } from "express";

/**
 * Signs a browser in: a fresh session id (so one planted before sign-in is worthless after),
 * the user, and where the session started, for the sessions list.
 */
export function startBrowserSession(req: Request, userId: number): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.userId = userId;
      req.session.client = { ip: req.ip, userAgent: req.get("user-agent") };
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    });
  });
}

/** Ends this browser's session (the row is deleted). */
export function endBrowserSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.destroy((err) => (err ? reject(err) : resolve())),
  );
}
