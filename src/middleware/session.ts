import type { Request, RequestHandler, Response } from "express";
import session from "express-session";
import type { Deps } from "../deps";
import { DatabaseSessionStore } from "../lib/sessionStore";

export const sessionCookieName = "crm.sid";

/** Server-side sessions; the cookie holds only the signed id. */
export function sessionMiddleware(
  deps: Pick<Deps, "config" | "sequelize" | "models" | "clock">,
): RequestHandler {
  const { config } = deps;
  const ttlMs = config.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000;
  return session({
    name: sessionCookieName,
    secret: config.sessionSecret,
    store: new DatabaseSessionStore(deps, ttlMs),
    resave: false,
    // No row for a visitor until something (a form's CSRF token, a sign-in) needs one.
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: "lax",
      secure: config.isProduction && config.APP_URL.startsWith("https:"),
      maxAge: ttlMs,
    },
  });
}

/** The session's data as the store would keep it, without the cookie (rolling changes its expiry). */
function dataOf(req: Request): string | undefined {
  if (!req.session) return undefined;
  return JSON.stringify(req.session, (key, value: unknown) =>
    key === "cookie" ? undefined : value,
  );
}

/**
 * express-session stores a changed session as the response ends, after the head is written; a
 * browser follows a redirect as soon as it reads the head, so the next page could be read before
 * the flash, the business switched to or the sign-in it should show was stored (CI saw a page
 * without its "Post scheduled." on MariaDB under load). A redirect from a request that changed its
 * session waits for the store first; one that changed nothing costs nothing.
 */
export const storedBeforeRedirect: RequestHandler = (req, res, next) => {
  const loaded = dataOf(req);
  const redirect = res.redirect as (this: Response, ...args: unknown[]) => void;
  res.redirect = function redirectOnceStored(this: Response, ...args: unknown[]): void {
    if (!req.session || dataOf(req) === loaded) return redirect.apply(this, args);
    req.session.save((error: unknown) => (error ? next(error) : redirect.apply(this, args)));
  } as Response["redirect"];
  next();
};
