import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { waitForMail } from "../../../test/support/outbox";
import { buildBusiness, buildUser, defaultPassword, uniqueEmail } from "../../../test/factories";
import { FakeClock } from "../../lib/clock";
import type { User } from "../../models";

/** Signs up through the form, as a person would: the account waits for its activation link. */
async function register(t: TestApp, name: string) {
  const email = uniqueEmail("signup");
  const password = "Lotus-pond-at-dawn-42";
  const agent = request.agent(t.app);
  const page = await agent.get("/register");
  await agent
    .post("/register")
    .type("form")
    .send({ _csrf: csrfFrom(page), name, email, password })
    .expect(200);
  await waitForMail(email, { template: "activation" });
  const user = (await t.deps.models.User.findOne({ where: { email } })) as User;
  return { email, password, user };
}

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

  it("tells the owner of an account still to activate how to, and offers a new link", async () => {
    // Registered, not activated: the password waits in the activation link (issue 10, item 7).
    const registered = await register(t, "Meera Iyer");
    const res = await signIn(request.agent(t.app), registered.email, registered.password);
    expect(res.status).toBe(401);
    expect(res.text).toContain("Your account is not activated yet.");
    expect(res.text).not.toContain(genericFailure);
    const resend = /<form method="post" action="\/activate\/resend"[^]*?<\/form>/.exec(res.text);
    expect(resend?.[0]).toContain(`name="email" value="${registered.email}"`);
    expect(await t.deps.models.Session.count({ where: { userId: registered.user.id } })).toBe(0);

    // Its button mails a new link.
    const agent = request.agent(t.app);
    const page = await signIn(agent, registered.email, registered.password);
    await agent
      .post("/activate/resend")
      .type("form")
      .send({ _csrf: csrfFrom(page), email: registered.email })
      .expect(200);
    await waitForMail(registered.email, { template: "activation", count: 2 });
  });

  it("says nothing about an account still to activate without its password", async () => {
    const registered = await register(t, "Kiran Das");
    const wrong = await signIn(request.agent(t.app), registered.email, "not the password");
    const unknown = await signIn(request.agent(t.app), "nobody@example.test", registered.password);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain(genericFailure);
      expect(res.text).not.toContain("activat");
    }
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

/** A sign-in from `ip` (the app trusts one proxy's X-Forwarded-For in these tests). */
async function signInFrom(t: TestApp, ip: string, email: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get("/login").set("X-Forwarded-For", ip);
  return agent
    .post("/login")
    .set("X-Forwarded-For", ip)
    .type("form")
    .send({ _csrf: csrfFrom(page), email, password });
}

describe("sign-in limits (per account and address, failures only)", () => {
  let t: TestApp;
  let clock: FakeClock;
  beforeAll(async () => {
    clock = new FakeClock("2030-03-01T10:00:00Z");
    t = await buildTestApp(
      {
        TRUST_PROXY: "1",
        LOGIN_FREE_FAILURES: "3",
        LOGIN_FIRST_DELAY_SECONDS: "10",
        LOGIN_MAX_DELAY_SECONDS: "900",
        LOGIN_IP_FAILURES_PER_HOUR: "8",
      },
      { clock },
    );
  });
  afterAll(() => t.close());

  it("a stranger's wrong passwords from another address do not lock the owner out", async () => {
    const owner = await buildUser(t.deps.models);
    const stranger = "198.51.100.23";
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await signInFrom(t, stranger, owner.email, `guess-${i}`)).status);
    // Three free failures, then the stranger waits (and the waits are not failures).
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429]);
    expect((await signInFrom(t, "203.0.113.4", owner.email, defaultPassword)).status).toBe(302);
    expect(await t.deps.models.Session.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("slows repeated failures from one address, longer after each, and says when to retry", async () => {
    const user = await buildUser(t.deps.models);
    const ip = "198.51.100.40";
    for (let i = 0; i < 3; i += 1)
      expect((await signInFrom(t, ip, user.email, "wrong")).status).toBe(401);
    const first = await signInFrom(t, ip, user.email, defaultPassword);
    expect(first.status).toBe(429);
    expect(first.headers["retry-after"]).toBe("10");
    expect(first.text).toContain(
      "Too many wrong passwords for this account from your network. Try again in 10 seconds, or reset your password.",
    );
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);

    await clock.advance(10_000);
    expect((await signInFrom(t, ip, user.email, "wrong again")).status).toBe(401);
    const second = await signInFrom(t, ip, user.email, defaultPassword);
    expect(second.status).toBe(429);
    expect(second.headers["retry-after"]).toBe("20");

    await clock.advance(20_000);
    expect((await signInFrom(t, ip, user.email, defaultPassword)).status).toBe(302);
  });

  it("does not count successful sign-ins against an office's shared address", async () => {
    const office = "192.0.2.10";
    const colleagues = await Promise.all(
      Array.from({ length: 12 }, (_, i) => buildUser(t.deps.models, { name: `Colleague ${i}` })),
    );
    // More sign-ins than the address may fail in an hour, each a success.
    for (const colleague of [...colleagues, ...colleagues])
      expect((await signInFrom(t, office, colleague.email, defaultPassword)).status).toBe(302);

    // Failures do count: after eight (across accounts), the address waits — but only it.
    for (let i = 0; i < 8; i += 1)
      expect((await signInFrom(t, office, `typo-${i}@example.test`, "x")).status).toBe(401);
    const refused = await signInFrom(t, office, colleagues[0]!.email, defaultPassword);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain("Too many failed sign-ins from your network.");
    expect((await signInFrom(t, "192.0.2.11", colleagues[0]!.email, defaultPassword)).status).toBe(
      302,
    );
  });

  it("the API login shares the limits", async () => {
    const user = await buildUser(t.deps.models);
    const ip = "198.51.100.77";
    for (let i = 0; i < 3; i += 1)
      expect((await signInFrom(t, ip, user.email, "wrong")).status).toBe(401);
    const res = await request(t.app)
      .post("/api/v1/auth/login")
      .set("X-Forwarded-For", ip)
      .send({ email: user.email, password: defaultPassword });
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("10");
    expect(res.body).toMatchObject({
      error: "rate_limited",
      details: { retryAfterSeconds: 10, scope: "account" },
    });
  });

  it("records a successful sign-in in the person's activity log", async () => {
    const user = await buildUser(t.deps.models);
    await signInFrom(t, "203.0.113.99", user.email, defaultPassword);
    const entries = await t.deps.models.ActivityLog.findAll({ where: { userId: user.id } });
    expect(entries.map((e) => e.action)).toEqual(["auth.sign_in"]);
    expect(entries[0]?.ip).toBe("203.0.113.99");
  });
});

describe("sign-in limits under concurrency", () => {
  it("lets at most the free failures and one more through when guesses come in parallel", async () => {
    const t = await buildTestApp({ LOGIN_FREE_FAILURES: "3" });
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
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(4);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(6);
    } finally {
      await t.close();
    }
  });
});
