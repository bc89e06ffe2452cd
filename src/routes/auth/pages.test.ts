import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../../../test/factories";

const genericFailure = "That e-mail and password do not match an account.";

describe("signing in and out", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("signs in, rotates the session id, shows the dashboard, and signs out", async () => {
    const user = await buildUser(t.deps.models, { name: "Asha Rao" });
    await buildBusiness(t.deps.models, { owner: user });
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const before = await t.deps.models.Session.findAll({ where: { userId: null } });
    const res = await agent
      .post("/login")
      .set("User-Agent", "Mozilla/5.0 (test)")
      .type("form")
      .send({ _csrf: csrfFrom(page), email: user.email.toUpperCase(), password: defaultPassword });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/");

    const sessions = await t.deps.models.Session.findAll({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(before.map((s) => s.sid)).not.toContain(sessions[0]?.sid);
    expect(sessions[0]?.userAgent).toBe("Mozilla/5.0 (test)");
    expect(sessions[0]?.ip).toMatch(/127\.0\.0\.1/);

    const dashboard = await agent.get("/").expect(200);
    expect(dashboard.text).toContain("Asha Rao");
    expect(dashboard.text).toContain("Welcome back.");

    await agent
      .post("/logout")
      .type("form")
      .send({ _csrf: csrfFrom(dashboard) })
      .expect(302);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
    const after = await agent.get("/").expect(200);
    expect(after.text).not.toContain("Asha Rao");
  });

  it("answers a wrong password and an unknown e-mail with the same message", async () => {
    const user = await buildUser(t.deps.models);
    const wrong = await signIn(request.agent(t.app), user.email, "not the password");
    const unknown = await signIn(request.agent(t.app), "nobody@example.test", "whatever");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain(genericFailure);
    expect(unknown.text).toContain(genericFailure);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("shows field errors and keeps what was typed", async () => {
    const agent = request.agent(t.app);
    const res = await signIn(agent, "not-an-email", "");
    expect(res.status).toBe(422);
    expect(res.text).toContain("Enter a valid e-mail address.");
    expect(res.text).toContain("Enter your password.");
    expect(res.text).toContain('value="not-an-email"');
  });

  it("does not sign in an account that was never activated", async () => {
    const user = await buildUser(t.deps.models, { activatedAt: null });
    const res = await signIn(request.agent(t.app), user.email, defaultPassword);
    expect(res.status).toBe(401);
    expect(res.text).toContain("Activate your account");
  });

  it("returns to the page that asked for sign-in, but never to another host", async () => {
    const user = await buildUser(t.deps.models);
    const agent = request.agent(t.app);
    const page = await agent.get("/login?next=/settings");
    const res = await agent
      .post("/login")
      .type("form")
      .send({
        _csrf: csrfFrom(page),
        email: user.email,
        password: defaultPassword,
        next: "//evil.example/x",
      });
    expect(res.headers.location).toBe("/");
  });
});

describe("sign-in limits", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ LOGIN_LIMIT_PER_ACCOUNT: "3", LOGIN_LIMIT_PER_IP: "8" });
  });
  afterAll(() => t.close());

  it("locks an account after repeated failures, even with the right password, and says when to retry", async () => {
    const user = await buildUser(t.deps.models);
    for (let i = 0; i < 3; i += 1)
      expect((await signIn(request.agent(t.app), user.email, "wrong")).status).toBe(401);
    const locked = await signIn(request.agent(t.app), user.email, defaultPassword);
    expect(locked.status).toBe(429);
    expect(locked.headers["retry-after"]).toMatch(/^\d+$/);
    expect(locked.text).toContain("Too many sign-in attempts");
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("limits attempts per IP address across accounts", async () => {
    const users = await Promise.all([1, 2, 3].map(() => buildUser(t.deps.models)));
    const statuses: number[] = [];
    // The test above made 4 attempts from this IP (3 failures and the refused one); 4 are left.
    for (let i = 0; i < 5; i += 1) {
      statuses.push(
        (await signIn(request.agent(t.app), users[i % 3]!.email, defaultPassword)).status,
      );
    }
    expect(statuses).toEqual([302, 302, 302, 302, 429]);
  });

  it("records a successful sign-in in the person's activity log", async () => {
    const fresh = await buildTestApp();
    try {
      const user = await buildUser(fresh.deps.models);
      await signIn(request.agent(fresh.app), user.email, defaultPassword);
      const entries = await fresh.deps.models.ActivityLog.findAll({ where: { userId: user.id } });
      expect(entries.map((e) => e.action)).toEqual(["auth.sign_in"]);
      expect(entries[0]?.ip).toMatch(/127\.0\.0\.1/);
    } finally {
      await fresh.close();
    }
  });
});

describe("sign-in limits under concurrency", () => {
  it("does not let parallel guesses slip past the account limit", async () => {
    const t = await buildTestApp({ LOGIN_LIMIT_PER_ACCOUNT: "3", LOGIN_LIMIT_PER_IP: "100" });
    try {
      const user = await buildUser(t.deps.models);
      const agents = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const agent = request.agent(t.app);
          return { agent, csrf: csrfFrom(await agent.get("/login")) };
        }),
      );
      const statuses = await Promise.all(
        agents.map(({ agent, csrf }) =>
          agent
            .post("/login")
            .type("form")
            .send({ _csrf: csrf, email: user.email, password: "wrong" })
            .then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    } finally {
      await t.close();
    }
  });
});
