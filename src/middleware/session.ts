import type { RequestHandler } from "express";
import session from "express-session";
import type { Config } from "../config";
import { DatabaseSessionStore } from "../lib/sessionStore";
import type { Models } from "../models";

export const sessionCookieName = "crm.sid";

/** Server-side sessions; the cookie holds only the signed id. */
export function sessionMiddleware(config: Config, models: Models): RequestHandler {
  const ttlMs = config.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000;
  return session({
    name: sessionCookieName,
    secret: config.sessionSecret,
    store: new DatabaseSessionStore(models, ttlMs),
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
