import { randomBytes } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Deps } from "../deps";
import { cookieValue, serializedCookie, signedValue, unsignedValue } from "../lib/signedCookie";
import { DatabaseSessionStore } from "../lib/sessionStore";
import type { SessionData } from "../types/session";

export const sessionCookieName = "crm.sid";

type Callback = (err?: unknown) => void;

/** What the middleware knows of one request's session, beside its data. */
interface SessionState {
  req: Request;
  store: DatabaseSessionStore;
  /** The id the request's cookie carried, when its row exists. */
  cookieSid: string | null;
  /** The data's JSON as the store holds it; null when nothing is stored under req.sessionID. */
  stored: string | null;
}

const states = new WeakMap<BrowserSession, SessionState>();

function stateOf(session: BrowserSession): SessionState {
  const state = states.get(session);
  if (!state) throw new Error("A browser session outside its request");
  return state;
}

const newSid = () => randomBytes(24).toString("base64url");

/**
 * A browser session: its data as own properties (so its JSON is the data), its actions as
 * methods. `save`, `regenerate` and `destroy` take node-style callbacks, as express-session's did.
 */
export class BrowserSession implements SessionData {
  // The data's fields, declared only: a session holds those its data has, nothing else.
  declare userId?: SessionData["userId"];
  declare businessId?: SessionData["businessId"];
  declare flash?: SessionData["flash"];
  declare client?: SessionData["client"];
  declare socialConnect?: SessionData["socialConnect"];
  declare csrfToken?: SessionData["csrfToken"];

  constructor(state: SessionState, data: SessionData = {}) {
    states.set(this, state);
    Object.assign(this, data);
  }

  /** Stores the data now (the response also stores what changed, before it ends). */
  save(callback: Callback = () => {}): void {
    const state = stateOf(this);
    const json = JSON.stringify(this);
    state.store.set(state.req.sessionID, this, json).then(() => {
      state.stored = json;
      callback();
    }, callback);
  }

  /** A new, empty session under a new id; the old row is deleted (no fixation). */
  regenerate(callback: Callback): void {
    const state = stateOf(this);
    const old =
      state.stored === null ? Promise.resolve() : state.store.destroy(state.req.sessionID);
    old.then(() => {
      state.req.sessionID = newSid();
      state.stored = null;
      state.req.session = new BrowserSession(state);
      callback();
    }, callback);
  }

  /** Deletes the row; the request has no session after it. */
  destroy(callback: Callback): void {
    const state = stateOf(this);
    state.store.destroy(state.req.sessionID).then(() => {
      state.stored = null;
      (state.req as { session?: BrowserSession }).session = undefined;
      callback();
    }, callback);
  }
}

declare module "express-serve-static-core" {
  interface Request {
    /** The browser session; absent before this middleware runs and once destroyed. */
    session: BrowserSession;
    /** The session's id, as its signed cookie carries it. */
    sessionID: string;
  }
}

/**
 * Server-side sessions; the cookie holds only the signed id. A visitor gets no row until something
 * (a form's CSRF token, a sign-in) puts data in the session. A response whose request changed the
 * session ends once the change is stored: a browser follows a redirect as soon as it reads the
 * head, and the next page must find the flash, the business switched to or the sign-in (CI saw a
 * page without its "Post scheduled." when the head went first). The cookie's expiry moves on when
 * the row's does (at most once a minute), not on every response.
 *
 * Replaces express-session, whose per-request work (two SHA-1 hashes of the session, a signature
 * for a cookie re-sent on every response, wrapped writes) cost a tenth of a list page's CPU.
 */
export function sessionMiddleware(
  deps: Pick<Deps, "config" | "sequelize" | "models" | "clock" | "logger">,
): RequestHandler {
  const { config, logger } = deps;
  const ttlMs = config.SESSION_TTL_DAYS * 24 * 60 * 60 * 1000;
  const store = new DatabaseSessionStore(deps, ttlMs);
  const secret = config.sessionSecret;
  const secure = config.isProduction && config.APP_URL.startsWith("https:");

  const setCookie = (req: Request, res: Response) => {
    // A Secure cookie over plain HTTP would be dropped by the browser: send none.
    if (secure && !req.secure) return;
    const cookie = serializedCookie(sessionCookieName, signedValue(req.sessionID, secret), {
      maxAgeSeconds: ttlMs / 1000,
      httpOnly: true,
      secure,
      sameSite: "Lax",
    });
    res.append("Set-Cookie", cookie);
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const fromCookie = cookieValue(req.headers.cookie, sessionCookieName);
    const sid = fromCookie === null ? null : unsignedValue(fromCookie, secret);
    const loaded = sid === null ? Promise.resolve(null) : store.get(sid);
    loaded.then((data) => {
      const state: SessionState = { req, store, cookieSid: null, stored: null };
      if (data && sid) {
        state.cookieSid = sid;
        req.sessionID = sid;
      } else req.sessionID = newSid();
      req.session = new BrowserSession(state, data ?? {});
      if (data) state.stored = JSON.stringify(req.session);
      hookResponse(req, res, state, setCookie, logger);
      next();
    }, next);
  };
}

/** The session's JSON now, or null once destroyed. */
const currentJson = (req: Request) => (req.session ? JSON.stringify(req.session) : null);

function hookResponse(
  req: Request,
  res: Response,
  state: SessionState,
  setCookie: (req: Request, res: Response) => void,
  logger: Deps["logger"],
): void {
  let cookieDecided = false;
  // Once per response, before the head: a new id is worth a cookie once it has something to
  // keep; a known one when its row's expiry is about to move on.
  const decideCookie = () => {
    if (cookieDecided) return;
    cookieDecided = true;
    const json = currentJson(req);
    if (json === null) return;
    const renew =
      state.cookieSid === req.sessionID
        ? state.store.touchDue(req.sessionID)
        : state.stored !== null || json !== "{}";
    if (renew) setCookie(req, res);
  };

  const writeHead = res.writeHead;
  res.writeHead = function writeHeadWithCookie(this: Response, ...args: unknown[]) {
    decideCookie();
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response["writeHead"];

  const end = res.end;
  let ending = false;
  res.end = function endOnceStored(this: Response, ...args: unknown[]) {
    const finish = () => (end as (...a: unknown[]) => Response).apply(this, args);
    if (ending) return finish();
    ending = true;
    // Decided on what the request did, before storing it moves the row's expiry on.
    if (!res.headersSent) decideCookie();
    const work = persist(req, state);
    if (!work) return finish();
    work.then(finish, (err: unknown) => {
      logger.error({ err, reqId: req.id }, "the session could not be stored");
      finish();
    });
    return this;
  } as Response["end"];
}

/** Stores what the request changed, or moves the expiry on; null when there is nothing to do. */
function persist(req: Request, state: SessionState): Promise<void> | null {
  const json = currentJson(req);
  if (json === null) return null;
  if (json !== (state.stored ?? "{}")) {
    return state.store.set(req.sessionID, req.session, json).then(() => {
      state.stored = json;
    });
  }
  if (state.stored === null || !state.store.touchDue(req.sessionID)) return null;
  return state.store.touch(req.sessionID);
}
