import { randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import { Op, type Sequelize } from "sequelize";
import type { Config } from "../config";
import { AppError } from "../errors";
import { hashToken, newToken } from "../lib/tokens";
import type { Models, User } from "../models";

/**
 * API sign-in: a short-lived access JWT plus a rotating refresh token. Each API login is a
 * `sessions` row of kind "api" (so it shows in the sessions list and can be revoked there); its
 * refresh tokens form one family keyed by that row's sid. Presenting a refresh token that was
 * already used or revoked means it was copied: the whole family and the session end.
 */

export interface ApiTokenDeps {
  config: Config;
  sequelize: Sequelize;
  models: Models;
}

export interface ApiClient {
  ip: string | null;
  userAgent: string | null;
}

export interface IssuedTokens {
  accessToken: string;
  tokenType: "Bearer";
  /** Seconds the access token is valid for. */
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface AccessClaims {
  userId: number;
  /** The `sessions` row this token belongs to; the token is worthless once it is gone. */
  sid: string;
}

export type AccessTokenCheck =
  { ok: true; claims: AccessClaims } | { ok: false; reason: "expired" | "invalid" };

const audience = "crm-api";
const dayMs = 24 * 60 * 60 * 1000;

const refusals = {
  unknown: "That refresh token is not valid. Sign in again.",
  expired: "That refresh token has expired. Sign in again.",
  reused:
    "That refresh token was already used, so it may have been copied. The session it belonged to has been signed out; sign in again.",
  ended: "That session has been signed out. Sign in again.",
};

function refuse(reason: keyof typeof refusals): AppError {
  return new AppError("unauthorized", refusals[reason], { reason: `refresh_token_${reason}` });
}

export function signAccessToken(config: Config, claims: AccessClaims): string {
  return jwt.sign({ sid: claims.sid }, config.jwtSecret, {
    algorithm: "HS256",
    subject: String(claims.userId),
    audience,
    expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
  });
}

/** Checks signature (HS256 only), audience and expiry; says why a token is refused. */
export function verifyAccessToken(config: Config, token: string): AccessTokenCheck {
  try {
    const payload = jwt.verify(token, config.jwtSecret, { algorithms: ["HS256"], audience });
    if (typeof payload === "string") return { ok: false, reason: "invalid" };
    const userId = Number(payload.sub);
    const sid: unknown = payload.sid;
    if (!Number.isSafeInteger(userId) || typeof sid !== "string") {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, claims: { userId, sid } };
  } catch (error) {
    return { ok: false, reason: error instanceof jwt.TokenExpiredError ? "expired" : "invalid" };
  }
}

function tokensFor(
  config: Config,
  claims: AccessClaims,
  refresh: string,
  refreshExpiresAt: Date,
): IssuedTokens {
  return {
    accessToken: signAccessToken(config, claims),
    tokenType: "Bearer",
    expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshToken: refresh,
    refreshTokenExpiresAt: refreshExpiresAt,
  };
}

/** Signs a user in through the API: a new API session and the first token of its family. */
export async function startApiSession(
  deps: ApiTokenDeps,
  user: User,
  client: ApiClient,
): Promise<IssuedTokens> {
  const { config, models, sequelize } = deps;
  const now = new Date();
  const expiresAt = new Date(now.getTime() + config.REFRESH_TOKEN_TTL_DAYS * dayMs);
  const sid = `api_${randomBytes(24).toString("base64url")}`;
  const refresh = newToken();
  await sequelize.transaction(async (transaction) => {
    await models.Session.create(
      {
        sid,
        userId: user.id,
        data: "{}",
        kind: "api",
        expiresAt,
        lastSeenAt: now,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 255) ?? null,
      },
      { transaction },
    );
    await models.RefreshToken.create(
      {
        userId: user.id,
        sessionSid: sid,
        tokenHash: refresh.hash,
        expiresAt,
        usedAt: null,
        revokedAt: null,
      },
      { transaction },
    );
  });
  return tokensFor(config, { userId: user.id, sid }, refresh.token, expiresAt);
}

/** Ends an API session: every refresh token of its family is revoked and the session row goes. */
export async function endApiSession(deps: ApiTokenDeps, sid: string): Promise<void> {
  const now = new Date();
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.RefreshToken.update(
      { revokedAt: now },
      { where: { sessionSid: sid, revokedAt: null }, transaction },
    );
    await deps.models.Session.destroy({ where: { sid, kind: "api" }, transaction });
  });
}

/** Ends the session a refresh token belongs to (logout without a live access token). */
export async function endApiSessionByRefreshToken(
  deps: ApiTokenDeps,
  refreshToken: string,
): Promise<boolean> {
  const found = await deps.models.RefreshToken.findOne({
    where: { tokenHash: hashToken(refreshToken) },
  });
  if (!found) return false;
  await endApiSession(deps, found.sessionSid);
  return true;
}

/**
 * Trades a refresh token for a new pair. The old token is marked used in the same statement that
 * checks it is unused, so of two concurrent uses exactly one wins and the other counts as reuse.
 */
export async function rotateRefreshToken(
  deps: ApiTokenDeps,
  refreshToken: string,
): Promise<IssuedTokens> {
  const { config, models, sequelize } = deps;
  const now = new Date();
  const found = await models.RefreshToken.findOne({
    where: { tokenHash: hashToken(refreshToken) },
  });
  if (!found) throw refuse("unknown");
  if (found.usedAt || found.revokedAt) {
    await endApiSession(deps, found.sessionSid);
    throw refuse("reused");
  }
  if (found.expiresAt.getTime() <= now.getTime()) {
    await endApiSession(deps, found.sessionSid);
    throw refuse("expired");
  }
  const session = await models.Session.findOne({
    where: { sid: found.sessionSid, kind: "api", expiresAt: { [Op.gt]: now } },
  });
  if (!session || session.userId !== found.userId) {
    await endApiSession(deps, found.sessionSid);
    throw refuse("ended");
  }

  const next = newToken();
  const expiresAt = new Date(now.getTime() + config.REFRESH_TOKEN_TTL_DAYS * dayMs);
  const rotated = await sequelize.transaction(async (transaction) => {
    const [claimed] = await models.RefreshToken.update(
      { usedAt: now },
      { where: { id: found.id, usedAt: null, revokedAt: null }, transaction },
    );
    if (claimed === 0) return false;
    await models.RefreshToken.create(
      {
        userId: found.userId,
        sessionSid: found.sessionSid,
        tokenHash: next.hash,
        expiresAt,
        usedAt: null,
        revokedAt: null,
      },
      { transaction },
    );
    await models.Session.update(
      { expiresAt, lastSeenAt: now },
      { where: { sid: found.sessionSid }, transaction },
    );
    return true;
  });
  if (!rotated) {
    await endApiSession(deps, found.sessionSid);
    throw refuse("reused");
  }
  return tokensFor(config, { userId: found.userId, sid: found.sessionSid }, next.token, expiresAt);
}
