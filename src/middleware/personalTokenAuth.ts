import type { NextFunction, Request, Response } from "express";
import { checkPersonalToken, scopesOf } from "../commands/personalTokens";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { attachContext } from "../tenancy/context";
import { loadRequestContext } from "../tenancy/loader";

/**
 * `Authorization: Bearer crm_pat_…`: a personal token acts as its member in its one business,
 * counted against its own rate limit (every answer carries RateLimit-Limit/-Remaining/-Reset, the
 * IETF draft's names; over the limit a 429 with Retry-After). A token that is unknown, revoked or
 * expired, or whose member left the business, leaves the request without a user (requireApiUser
 * answers 401 saying why).
 */
export function personalTokenAuth(
  deps: Pick<Deps, "config" | "sequelize" | "models" | "clock" | "rateLimits" | "logger">,
) {
  const rule = {
    points: deps.config.PERSONAL_TOKEN_REQUESTS_PER_MINUTE,
    durationSeconds: 60,
  };
  return async (req: Request, res: Response, next: NextFunction, value: string): Promise<void> => {
    const check = await checkPersonalToken(deps, value);
    if (!check.ok) {
      req.bearerProblem = check.reason === "expired" ? "personal_expired" : check.reason;
      return next();
    }
    const { token } = check;
    let state;
    try {
      state = await deps.rateLimits.take("personal-token", rule, String(token.id));
    } catch (error) {
      deps.logger.error({ err: error, reqId: req.id }, "rate limit store unavailable");
      return next(new AppError("service_unavailable"));
    }
    res.setHeader("RateLimit-Limit", String(state.limit));
    res.setHeader("RateLimit-Remaining", String(state.remaining));
    res.setHeader("RateLimit-Reset", String(state.resetSeconds));
    if (!state.allowed) {
      res.setHeader("Retry-After", String(state.resetSeconds));
      return next(
        new AppError("rate_limited", "This token has made too many requests. Wait and retry.", {
          retryAfterSeconds: state.resetSeconds,
        }),
      );
    }
    const ctx = await loadRequestContext(deps, {
      userId: token.userId,
      businessId: token.businessId,
    });
    // The member left the business (or it is gone): the token is no longer theirs to use.
    if (!ctx || ctx.business?.id !== token.businessId) {
      req.bearerProblem = "revoked";
      return next();
    }
    req.personalToken = { id: token.id, scopes: scopesOf(token) };
    attachContext(req, res, ctx);
    const wanted = req.get("x-business-id");
    if (wanted !== undefined && wanted.trim() !== String(token.businessId))
      return next(
        new AppError("forbidden", "This token belongs to another business (X-Business-Id).", {
          businessId: wanted,
        }),
      );
    next();
  };
}
