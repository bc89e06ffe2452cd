import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildSession, buildUser, defaultPassword } from "../../../test/factories";
import { sessionHandle } from "../../lib/sessionHandles";
import type { User } from "../../models";

const chromeOnLinux =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const safariOnIphone =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

describe("Profile → Sessions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  /** A browser signed in as the user, sending the given User-Agent on every request. */
  async function browser(user: User, userAgent: string) {
    const agent = request.agent(t.app);
    agent.set("User-Agent", userAgent);
    const res = await signIn(agent, user.email, defaultPassword);
    expect(res.status).toBe(302);
    return agent;
  }

  async function sidsOf(userId: number): Promise<string[]> {
    const rows = await t.deps.models.Session.findAll({ where: { userId } });
    return rows.map((row) => row.sid);
  }

  /** The sid of the session a sign-in just created (the one not in `before`). */
  async function newSid(userId: number, before: string[]): Promise<string> {
    const sid = (await sidsOf(userId)).find((s) => !before.includes(s));
    if (!sid) throw new Error("no new session");
    return sid;
  }

  it("lists browser and API sessions with device, IP and times, marking this session", async () => {
    const user = await buildUser(t.deps.models);
    const laptop = await browser(user, chromeOnLinux);
    await browser(user, safariOnIphone);
    await buildSession(t.deps.models, {
      userId: user.id,
      kind: "api",
      userAgent: "curl/8.5.0",
      ip: "203.0.113.9",
    });

    const page = await laptop.get("/profile/sessions").expect(200);
    const items = page.text.split('<li class="list-group-item py-3"').slice(1);
    expect(items).toHaveLength(3);
    // This session comes first and is the only one with the badge.
    expect(items[0]).toContain("Chrome on Linux");
    expect(items[0]).toContain("This session");
    expect(page.text.match(/data-slot="this-session"/g)).toHaveLength(1);
    expect(page.text).toContain("Safari on iPhone");
    expect(page.text).toContain("API client (curl)");
    expect(page.text).toContain("203.0.113.9");
    expect(page.text).toMatch(/127\.0\.0\.1/);
    expect(page.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    // Session ids never appear in the page: only their handles do.
    for (const sid of await sidsOf(user.id)) {
      expect(page.text).not.toContain(sid);
      expect(page.text).toContain(`/profile/sessions/${sessionHandle(sid)}/revoke`);
    }
  });

  it("signing out another browser ends it on its next request and keeps this one", async () => {
    const user = await buildUser(t.deps.models);
    const laptop = await browser(user, chromeOnLinux);
    const before = await sidsOf(user.id);
    const phone = await browser(user, safariOnIphone);
    const phoneSid = await newSid(user.id, before);
    await phone.get("/profile").expect(200);

    const page = await laptop.get("/profile/sessions");
    const res = await laptop
      .post(`/profile/sessions/${sessionHandle(phoneSid)}/revoke`)
      .type("form")
      .send({ _csrf: csrfFrom(page) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/profile/sessions");

    const next = await phone.get("/profile");
    expect(next.status).toBe(302);
    expect(next.headers.location).toBe("/login?next=%2Fprofile");
    expect(await sidsOf(user.id)).toEqual(before);
    const after = await laptop.get("/profile/sessions").expect(200);
    expect(after.text).toContain("That session was signed out.");
    expect(after.text).not.toContain("Safari on iPhone");

    const log = await t.deps.models.ActivityLog.findOne({
      where: { userId: user.id, action: "session.revoked" },
    });
    expect(JSON.parse(log?.details ?? "{}")).toMatchObject({ device: "Safari on iPhone" });
  });

  it("signing out an API session deletes its refresh tokens", async () => {
    const user = await buildUser(t.deps.models);
    const laptop = await browser(user, chromeOnLinux);
    const api = await buildSession(t.deps.models, { userId: user.id, kind: "api" });
    await t.deps.models.RefreshToken.create({
      userId: user.id,
      sessionSid: api.sid,
      tokenHash: `hash-${api.sid}`,
      expiresAt: new Date(Date.now() + 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    const page = await laptop.get("/profile/sessions");
    await laptop
      .post(`/profile/sessions/${sessionHandle(api.sid)}/revoke`)
      .type("form")
      .send({ _csrf: csrfFrom(page) })
      .expect(303);
    expect(await t.deps.models.Session.findByPk(api.sid)).toBeNull();
    expect(await t.deps.models.RefreshToken.count({ where: { sessionSid: api.sid } })).toBe(0);
  });

  it("signs out all other sessions, browser and API, and keeps this one", async () => {
    const user = await buildUser(t.deps.models);
    const laptop = await browser(user, chromeOnLinux);
    const [laptopSid] = await sidsOf(user.id);
    const phone = await browser(user, safariOnIphone);
    const tablet = await browser(user, "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)");
    await buildSession(t.deps.models, { userId: user.id, kind: "api" });
    expect(await sidsOf(user.id)).toHaveLength(4);

    const page = await laptop.get("/profile/sessions");
    expect(page.text).toContain("Sign out all other sessions");
    const res = await laptop
      .post("/profile/sessions/revoke-others")
      .type("form")
      .send({ _csrf: csrfFrom(page) });
    expect(res.status).toBe(303);

    expect(await sidsOf(user.id)).toEqual([laptopSid]);
    expect((await phone.get("/profile")).status).toBe(302);
    expect((await tablet.get("/profile")).status).toBe(302);
    const after = await laptop.get("/profile/sessions").expect(200);
    expect(after.text).toContain("Signed out 3 other sessions.");
    expect(after.text).not.toContain("Sign out all other sessions");
  });

  it("cannot sign out another person's session: 404, and it stays", async () => {
    const user = await buildUser(t.deps.models);
    const laptop = await browser(user, chromeOnLinux);
    const stranger = await buildUser(t.deps.models);
    const theirs = await buildSession(t.deps.models, { userId: stranger.id });
    const page = await laptop.get("/profile/sessions");
    const csrf = csrfFrom(page);

    for (const handle of [sessionHandle(theirs.sid), theirs.sid, "0".repeat(24), "..%2F"]) {
      const res = await laptop
        .post(`/profile/sessions/${handle}/revoke`)
        .type("form")
        .send({ _csrf: csrf });
      expect(res.status).toBe(404);
    }
    expect(await t.deps.models.Session.findByPk(theirs.sid)).not.toBeNull();
    expect(await sidsOf(user.id)).toHaveLength(1);
  });

  it("signing out this session signs this browser out", async () => {
    const user = await buildUser(t.deps.models);
    const laptop = await browser(user, chromeOnLinux);
    const [sid] = await sidsOf(user.id);
    const page = await laptop.get("/profile/sessions");
    const res = await laptop
      .post(`/profile/sessions/${sessionHandle(sid as string)}/revoke`)
      .type("form")
      .send({ _csrf: csrfFrom(page) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?signedOut=1");
    expect(await sidsOf(user.id)).toEqual([]);
    expect((await laptop.get("/profile")).status).toBe(302);
  });

  it("is behind sign-in", async () => {
    const res = await request(t.app).get("/profile/sessions");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/login?next=%2Fprofile%2Fsessions");
  });
});
