import type { RequestHandler } from "express";
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
