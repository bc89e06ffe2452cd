import { Router, type Request } from "express";
import type { z } from "zod";
import type { Deps } from "../../deps";
import { clientOf, logActivity } from "../../commands/activityLogger";
import {
  endApiSession,
  endApiSessionByRefreshToken,
  rotateRefreshToken,
  startApiSession,
  type IssuedTokens,
} from "../../commands/apiTokens";
import { authenticate } from "../../commands/authenticator";
import { AppError } from "../../errors";
import { fieldErrors } from "../../lib/forms";
import { requireApiUser } from "../../middleware/bearerAuth";
import { presentUser } from "../../presenters/user";
import { apiLoginSchema, logoutSchema, refreshTokenSchema } from "./apiSchema";

const messages = {
  invalid: "That e-mail and password do not match an account.",
  notActivated: "Activate your account from the e-mail we sent before signing in.",
};

/** The typed body, or 422 with the field errors. */
function bodyOf<T extends z.ZodType>(schema: T, req: Request): z.infer<T> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw AppError.validation(fieldErrors(parsed.error));
  return parsed.data;
}

function presentTokens(tokens: IssuedTokens) {
  return {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    expiresIn: tokens.expiresIn,
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
  };
}

/** /api/v1/auth: sign in for a token pair, renew it, sign out, and who am I. */
export function authApi(deps: Deps): Router {
  const router = Router();

  router.post("/auth/login", async (req, res) => {
    const { email, password } = bodyOf(apiLoginSchema, req);
    // The same limits as the sign-in page: an API is no back door for guessing passwords.
    const limit = await deps.loginLimiter.attempt(req.ip ?? "unknown", email);
    if (!limit.allowed) {
      res.setHeader("Retry-After", String(limit.retryAfterSeconds));
      throw new AppError("rate_limited", undefined, { retryAfterSeconds: limit.retryAfterSeconds });
    }
    const result = await authenticate(deps.models, email, password);
    if (!result.ok) {
      const notActivated = result.reason === "not_activated";
      throw new AppError(
        "unauthorized",
        notActivated ? messages.notActivated : messages.invalid,
        notActivated ? { reason: "not_activated" } : undefined,
      );
    }
    await deps.loginLimiter.succeeded(email);
    const tokens = await startApiSession(deps, result.user, clientOf(req));
    await logActivity(deps.models, req, {
      userId: result.user.id,
      action: "auth.sign_in",
      details: { method: "api" },
    });
    res.json({
      statusCode: 200,
      data: { ...presentTokens(tokens), user: presentUser(result.user) },
      message: "Signed in.",
    });
  });

  router.post("/auth/refresh-token", async (req, res) => {
    const { refreshToken } = bodyOf(refreshTokenSchema, req);
    const tokens = await rotateRefreshToken(deps, refreshToken);
    res.json({ statusCode: 200, data: presentTokens(tokens), message: "Tokens renewed." });
  });

  router.post("/auth/logout", async (req, res, next) => {
    const { refreshToken } = bodyOf(logoutSchema, req);
    if (req.apiSession) await endApiSession(deps, req.apiSession.sid);
    else if (!refreshToken || !(await endApiSessionByRefreshToken(deps, refreshToken))) {
      return requireApiUser(req, res, next);
    }
    res.json({ statusCode: 200, data: null, message: "Signed out." });
  });

  router.get("/auth/me", requireApiUser, (req, res) => {
    const ctx = req.ctx;
    const business = ctx?.business
      ? { id: ctx.business.id, name: ctx.business.name, role: ctx.membership?.role ?? null }
      : null;
    res.json({
      statusCode: 200,
      data: { user: req.currentUser, business, businesses: ctx?.businesses ?? [] },
      message: "Signed in.",
    });
  });

  return router;
}
