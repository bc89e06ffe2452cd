import jwt from "jsonwebtoken";
import { useTestDatabase } from "../../test/support/database";
import { testConfig } from "../../test/support/config";
import { buildUser } from "../../test/factories";
import { hashToken } from "../lib/tokens";
import {
  endApiSession,
  rotateRefreshToken,
  startApiSession,
  verifyAccessToken,
  type ApiTokenDeps,
} from "./apiTokens";

const client = { ip: "203.0.113.9", userAgent: "crm-cli/1.0" };

describe("API tokens", () => {
  const db = useTestDatabase();
  const config = testConfig();
  const deps = (): ApiTokenDeps => ({ config, ...db.current });

  it("starts an API session: a sessions row of kind api and a hashed refresh token", async () => {
    const user = await buildUser(db.current.models);
    const tokens = await startApiSession(deps(), user, client);

    const check = verifyAccessToken(config, tokens.accessToken);
    if (!check.ok) throw new Error(`access token refused: ${check.reason}`);
    expect(check.claims.userId).toBe(user.id);
    const session = await db.current.models.Session.findByPk(check.claims.sid);
    expect(session).toMatchObject({ userId: user.id, kind: "api", ip: client.ip });
    expect(session?.userAgent).toBe(client.userAgent);

    const stored = await db.current.models.RefreshToken.findAll({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]?.sessionSid).toBe(check.claims.sid);
    expect(stored[0]?.tokenHash).toBe(hashToken(tokens.refreshToken));
    expect(stored[0]?.tokenHash).not.toContain(tokens.refreshToken);
  });

  it("rotates within the family; a second use of any old token ends the whole family", async () => {
    const user = await buildUser(db.current.models);
    const first = await startApiSession(deps(), user, client);
    const second = await rotateRefreshToken(deps(), first.refreshToken);
    const third = await rotateRefreshToken(deps(), second.refreshToken);
    expect(new Set([first.refreshToken, second.refreshToken, third.refreshToken]).size).toBe(3);

    await expect(rotateRefreshToken(deps(), first.refreshToken)).rejects.toMatchObject({
      id: "unauthorized",
      details: { reason: "refresh_token_reused" },
    });
    // The thief's copy and the rightful holder's newest token are both dead now.
    await expect(rotateRefreshToken(deps(), third.refreshToken)).rejects.toMatchObject({
      id: "unauthorized",
    });
    const family = await db.current.models.RefreshToken.findAll({ where: { userId: user.id } });
    expect(family).toHaveLength(3);
    expect(family.every((token) => token.revokedAt !== null)).toBe(true);
    expect(await db.current.models.Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("lets only one of two simultaneous uses of a refresh token win", async () => {
    const user = await buildUser(db.current.models);
    const tokens = await startApiSession(deps(), user, client);
    const results = await Promise.allSettled([
      rotateRefreshToken(deps(), tokens.refreshToken),
      rotateRefreshToken(deps(), tokens.refreshToken),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
  });

  it("refuses an expired refresh token and unknown ones", async () => {
    const user = await buildUser(db.current.models);
    const tokens = await startApiSession(deps(), user, client);
    await db.current.models.RefreshToken.update(
      { expiresAt: new Date(Date.now() - 1000) },
      { where: { userId: user.id } },
    );
    await expect(rotateRefreshToken(deps(), tokens.refreshToken)).rejects.toMatchObject({
      details: { reason: "refresh_token_expired" },
    });
    await expect(rotateRefreshToken(deps(), "made-up")).rejects.toMatchObject({
      details: { reason: "refresh_token_unknown" },
    });
  });

  it("ending a session revokes its tokens and deletes its row", async () => {
    const user = await buildUser(db.current.models);
    const tokens = await startApiSession(deps(), user, client);
    const check = verifyAccessToken(config, tokens.accessToken);
    if (!check.ok) throw new Error("access token refused");
    await endApiSession(deps(), check.claims.sid);
    expect(await db.current.models.Session.findByPk(check.claims.sid)).toBeNull();
    await expect(rotateRefreshToken(deps(), tokens.refreshToken)).rejects.toMatchObject({
      id: "unauthorized",
    });
  });

  it("accepts only HS256 access tokens signed with our secret and not expired", () => {
    const claims = { sid: "api_x" };
    const sign = (secret: string, options: jwt.SignOptions) =>
      jwt.sign(claims, secret, { subject: "1", audience: "crm-api", ...options });
    expect(verifyAccessToken(config, sign(config.jwtSecret, { expiresIn: 60 })).ok).toBe(true);
    expect(verifyAccessToken(config, sign("another-secret", { expiresIn: 60 }))).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(verifyAccessToken(config, sign(config.jwtSecret, { expiresIn: -10 }))).toEqual({
      ok: false,
      reason: "expired",
    });
    const unsigned = jwt.sign(claims, "", { algorithm: "none", subject: "1", audience: "crm-api" });
    expect(verifyAccessToken(config, unsigned)).toEqual({ ok: false, reason: "invalid" });
    expect(verifyAccessToken(config, "garbage")).toEqual({ ok: false, reason: "invalid" });
  });
});
