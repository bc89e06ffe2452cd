import type { NextFunction, Request, Response } from "express";
import { QueryTypes } from "sequelize";
import { verifyAccessToken } from "../commands/apiTokens";
import { personalTokenPrefix } from "../commands/personalTokens";
import { sqlTime } from "../db/sqlTime";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { attachContext } from "../tenancy/context";
import { loadRequestContext } from "../tenancy/loader";
import { personalTokenAuth } from "./personalTokenAuth";

export type BearerProblem = "invalid" | "expired" | "signed_out" | "revoked" | "personal_expired";

declare module "express-serve-static-core" {
  interface Request {
    /** The API session (a `sessions` row of kind "api") the access token belongs to. */
    apiSession?: { sid: string };
    /** Why an Authorization header was not accepted; requireApiUser reports it. */
    bearerProblem?: BearerProblem;
    /** The personal token the request came with (its scopes limit what it may call). */
    personalToken?: { id: number; scopes: string[] };
  }
}

/** Seconds between last-seen writes for one API session, as for browser sessions. */
const touchIntervalMs = 60_000;

const problemMessages: Record<BearerProblem | "missing", string> = {
  missing: "Sign in first, then send the access token as Authorization: Bearer <token>.",
  invalid: "The access token is not valid.",
  expired: "The access token has expired. Get a new one from /api/v1/auth/refresh-token.",
  signed_out: "This session has been signed out. Sign in again.",
  revoked: "This token has been revoked.",
  personal_expired: "This personal API token has expired. Create a new one at /profile/api-tokens.",
};

/**
 * Reads `Authorization: Bearer <access token>` on API requests. A valid token whose session still
 * exists sets req.currentUser and req.ctx (X-Business-Id picks the business); anything else passes
 * through without a user, and routes that need one use requireApiUser.
 */
export function bearerAuth(
  deps: Pick<Deps, "config" | "sequelize" | "models" | "clock" | "rateLimits" | "logger">,
) {
  const { config, models, sequelize } = deps;
  const personal = personalTokenAuth(deps);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get("authorization");
    if (!header) return next();
    const token = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header)?.[1];
    // Personal tokens say what they are by their prefix; anything else is a login's JWT.
    if (token?.startsWith(personalTokenPrefix)) return personal(req, res, next, token);
    const check = token ? verifyAccessToken(config, token) : null;
    if (!check?.ok) {
      req.bearerProblem = check?.reason ?? "invalid";
      return next();
    }
    const { userId, sid } = check.claims;
    const now = deps.clock.now();
    // Read on every request (a primary-key lookup): a revoked API session is refused at once.
    const [session] = await sequelize.query<{ stale: number | string }>(
      `SELECT CASE WHEN last_seen_at < ? THEN 1 ELSE 0 END AS stale FROM sessions
       WHERE sid = ? AND user_id = ? AND kind = 'api' AND expires_at > ?`,
      {
        type: QueryTypes.SELECT,
        replacements: [
          sqlTime(sequelize, new Date(now.getTime() - touchIntervalMs)),
          sid,
          userId,
          sqlTime(sequelize, now),
        ],
      },
    );
    const wanted = req.get("x-business-id");
    const ctx = session
      ? await loadRequestContext(deps, {
          userId,
          businessId: wanted === undefined ? null : Number(wanted),
        })
      : null;
    if (!session || !ctx) {
      req.bearerProblem = "signed_out";
      return next();
    }
    if (Number(session.stale) === 1) {
      await models.Session.update({ lastSeenAt: now }, { where: { sid } });
    }
    req.apiSession = { sid };
    attachContext(req, res, ctx);
    // Never fall back silently to another business than the one the client named.
    if (wanted !== undefined && String(ctx.business?.id) !== wanted.trim()) {
      return next(
        new AppError("forbidden", "You are not a member of that business (X-Business-Id).", {
          businessId: wanted,
        }),
      );
    }
    next();
  };
}

/** API routes behind sign-in: 401 in the envelope, saying why the token was not accepted. */
export function requireApiUser(req: Request, res: Response, next: NextFunction): void {
  if (req.currentUser && (req.apiSession || req.personalToken)) return next();
  const problem = req.bearerProblem;
  res.set(
    "WWW-Authenticate",
    problem ? 'Bearer realm="api", error="invalid_token"' : 'Bearer realm="api"',
  );
  next(
    new AppError(
      "unauthorized",
      problemMessages[problem ?? "missing"],
      problem
        ? { reason: problem === "personal_expired" ? "token_expired" : `token_${problem}` }
        : undefined,
    ),
  );
}
