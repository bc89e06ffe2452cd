import jwt from "jsonwebtoken";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { buildUser, defaultPassword } from "../../../test/factories";

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

describe("API authentication", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const api = () => request(t.app);

  async function logIn(email: string, password = defaultPassword): Promise<TokenPair> {
    const res = await api()
      .post("/api/v1/auth/login")
      .set("User-Agent", "crm-cli/2.1")
      .send({ email, password })
      .expect(200);
    return res.body.data as TokenPair;
  }

  const me = (accessToken: string) =>
    api().get("/api/v1/auth/me").set("Authorization", `Bearer ${accessToken}`);

  it("logs in with e-mail and password: a token pair, an api session and an activity entry", async () => {
    const user = await buildUser(t.deps.models, { name: "Ravi Kumar" });
    const res = await api()
      .post("/api/v1/auth/login")
      .set("User-Agent", "crm-cli/2.1")
      .send({ email: user.email.toUpperCase(), password: defaultPassword })
      .expect(200);
    expect(res.body).toMatchObject({
      statusCode: 200,
      message: "Signed in.",
      data: {
        tokenType: "Bearer",
        expiresIn: 900,
        user: { id: user.id, name: "Ravi Kumar", email: user.email },
      },
    });
    expect(res.body.data.accessToken).toEqual(expect.any(String));
    expect(res.body.data.refreshToken).toEqual(expect.any(String));

    const sessions = await t.deps.models.Session.findAll({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.kind).toBe("api");
    expect(sessions[0]?.userAgent).toBe("crm-cli/2.1");
    const entry = await t.deps.models.ActivityLog.findOne({
      where: { userId: user.id, action: "auth.sign_in" },
    });
    expect(JSON.parse(entry?.details ?? "null")).toEqual({ method: "api" });
  });

  it("answers a wrong password and an unknown e-mail with the same 401", async () => {
    const user = await buildUser(t.deps.models);
    const wrong = await api()
      .post("/api/v1/auth/login")
      .send({ email: user.email, password: "nope" })
      .expect(401);
    const unknown = await api()
      .post("/api/v1/auth/login")
      .send({ email: "nobody@example.test", password: "nope" })
      .expect(401);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: "unauthorized",
      message: "That e-mail and password do not match an account.",
      details: {},
    });
    expect(unknown.body).toEqual(wrong.body);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("rejects a malformed body with field errors", async () => {
    const res = await api().post("/api/v1/auth/login").send({ email: "x" }).expect(422);
    expect(res.body.error).toBe("validation_failed");
    expect(Object.keys(res.body.details.fields)).toEqual(
      expect.arrayContaining(["email", "password"]),
    );
  });

  it("GET /me answers who the access token belongs to", async () => {
    const user = await buildUser(t.deps.models, { name: "Sana Sheikh" });
    const { accessToken } = await logIn(user.email);
    const res = await me(accessToken).expect(200);
    expect(res.body).toMatchObject({
      statusCode: 200,
      data: { user: { id: user.id, name: "Sana Sheikh", email: user.email }, businesses: [] },
    });
  });

  it("refuses /me without a token, with a garbage one and with an expired one", async () => {
    const user = await buildUser(t.deps.models);
    const { accessToken } = await logIn(user.email);
    const { sid } = jwt.decode(accessToken) as { sid: string };
    const expired = jwt.sign({ sid }, t.deps.config.jwtSecret, {
      subject: String(user.id),
      audience: "crm-api",
      expiresIn: -5,
    });

    const none = await api().get("/api/v1/auth/me").expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, error: "unauthorized" });
    const garbage = await me("not.a.token").expect(401);
    expect(garbage.body).toMatchObject({
      statusCode: 401,
      error: "unauthorized",
      details: { reason: "token_invalid" },
    });
    expect(garbage.headers["www-authenticate"]).toContain('error="invalid_token"');
    const late = await me(expired).expect(401);
    expect(late.body).toMatchObject({
      error: "unauthorized",
      details: { reason: "token_expired" },
    });
  });

  it("rotates the refresh token; reusing an old one revokes the whole family", async () => {
    const user = await buildUser(t.deps.models);
    const first = await logIn(user.email);
    const renewed = await api()
      .post("/api/v1/auth/refresh-token")
      .send({ refreshToken: first.refreshToken })
      .expect(200);
    const second = renewed.body.data as TokenPair;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await me(second.accessToken).expect(200);

    const reuse = await api()
      .post("/api/v1/auth/refresh-token")
      .send({ refreshToken: first.refreshToken })
      .expect(401);
    expect(reuse.body).toMatchObject({
      error: "unauthorized",
      details: { reason: "refresh_token_reused" },
    });
    // The newest token of the family is dead too, and so is the session with its access tokens.
    await api()
      .post("/api/v1/auth/refresh-token")
      .send({ refreshToken: second.refreshToken })
      .expect(401);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
    await me(second.accessToken).expect(401);
  });

  it("logs out: the session row goes and neither token works any more", async () => {
    const user = await buildUser(t.deps.models);
    const tokens = await logIn(user.email);
    await api()
      .post("/api/v1/auth/logout")
      .set("Authorization", `Bearer ${tokens.accessToken}`)
      .expect(200);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
    await me(tokens.accessToken).expect(401);
    await api()
      .post("/api/v1/auth/refresh-token")
      .send({ refreshToken: tokens.refreshToken })
      .expect(401);
  });

  it("logs out with the refresh token alone once the access token has expired", async () => {
    const user = await buildUser(t.deps.models);
    const tokens = await logIn(user.email);
    await api().post("/api/v1/auth/logout").send({ refreshToken: tokens.refreshToken }).expect(200);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
    await api().post("/api/v1/auth/logout").send({}).expect(401);
  });

  it("cuts API access on the next request when the session is revoked from the sessions list", async () => {
    const user = await buildUser(t.deps.models);
    const { accessToken } = await logIn(user.email);
    await me(accessToken).expect(200);
    await t.deps.models.Session.destroy({ where: { userId: user.id, kind: "api" } });
    const res = await me(accessToken).expect(401);
    expect(res.body.details).toEqual({ reason: "token_signed_out" });
  });

  it("picks the business from X-Business-Id and refuses one the user is not in", async () => {
    const user = await buildUser(t.deps.models);
    const { models } = t.deps;
    const business = await models.Business.create({
      name: "Kumar Traders",
      country: "IN",
      timeZone: "Asia/Kolkata",
      currency: "INR",
      ownerId: user.id,
    });
    await models.Membership.create({ businessId: business.id, userId: user.id, role: "owner" });
    const { accessToken } = await logIn(user.email);

    const res = await me(accessToken).set("X-Business-Id", String(business.id)).expect(200);
    expect(res.body.data.business).toEqual({
      id: business.id,
      name: "Kumar Traders",
      role: "owner",
    });
    const other = await me(accessToken)
      .set("X-Business-Id", String(business.id + 1000))
      .expect(403);
    expect(other.body.error).toBe("forbidden");
  });
});

describe("API sign-in limits", () => {
  it("slows an account's repeated failures with 429 rate_limited and Retry-After", async () => {
    const limited = await buildTestApp({
      LOGIN_FREE_FAILURES: "2",
      LOGIN_FIRST_DELAY_SECONDS: "30",
    });
    try {
      const user = await buildUser(limited.deps.models);
      for (let i = 0; i < 2; i += 1) {
        await request(limited.app)
          .post("/api/v1/auth/login")
          .send({ email: user.email, password: "wrong" })
          .expect(401);
      }
      const res = await request(limited.app)
        .post("/api/v1/auth/login")
        .send({ email: user.email, password: defaultPassword });
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({
        error: "rate_limited",
        message:
          "Too many wrong passwords for this account from your network. Try again in 30 seconds, or reset your password.",
        details: { retryAfterSeconds: 30, scope: "account" },
      });
      expect(res.headers["retry-after"]).toBe("30");
      expect(await limited.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it("tells the owner of an account still to activate, only with its right password", async () => {
    const t = await buildTestApp();
    try {
      const user = await buildUser(t.deps.models, { activatedAt: null });
      const right = await request(t.app)
        .post("/api/v1/auth/login")
        .send({ email: user.email, password: defaultPassword })
        .expect(401);
      expect(right.body).toMatchObject({
        error: "unauthorized",
        details: { reason: "not_activated" },
      });
      expect(right.body.message).toContain("not activated yet");
      const wrong = await request(t.app)
        .post("/api/v1/auth/login")
        .send({ email: user.email, password: "wrong" })
        .expect(401);
      expect(wrong.body).toMatchObject({
        message: "That e-mail and password do not match an account.",
        details: {},
      });
    } finally {
      await t.close();
    }
  });
});
