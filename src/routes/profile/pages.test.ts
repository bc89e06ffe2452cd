import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import {
  buildActivityLog,
  buildBusiness,
  buildSession,
  buildUser,
  defaultPassword,
} from "../../../test/factories";
import { channelsOf, preferencesOf } from "../../lib/notificationPreferences";
import type { User } from "../../models";
import { activityPageSize } from "./activityPages";

describe("Profile: name, notification preferences and my activity", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function signedIn(user: User, userAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0") {
    const agent = request.agent(t.app);
    agent.set("User-Agent", userAgent);
    expect((await signIn(agent, user.email, defaultPassword)).status).toBe(302);
    const page = await agent.get("/profile").expect(200);
    return { agent, page, csrf: csrfFrom(page) };
  }

  const reload = async (user: User) => (await t.deps.models.User.findByPk(user.id)) as User;

  it("is behind sign-in, and the user menu links to it", async () => {
    const res = await request(t.app).get("/profile");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/login?next=%2Fprofile");
    const post = await request(t.app).post("/profile").type("form").send({ name: "x" });
    expect(post.status).toBe(403);

    const { page } = await signedIn(await buildUser(t.deps.models));
    expect(page.text).toContain('<a class="dropdown-item" href="/profile">');
    expect(page.text).toContain('<a class="dropdown-item" href="/profile/sessions">');
    expect(page.text).toContain('href="/profile/activity"');
  });

  it("changes the name, and refuses an empty one keeping the old", async () => {
    const user = await buildUser(t.deps.models, { name: "Old Name" });
    const { agent, csrf } = await signedIn(user);
    const empty = await agent.post("/profile").type("form").send({ _csrf: csrf, name: "   " });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("Enter your name.");
    expect((await reload(user)).name).toBe("Old Name");

    const long = await agent
      .post("/profile")
      .type("form")
      .send({ _csrf: csrf, name: "x".repeat(121) });
    expect(long.status).toBe(422);

    const res = await agent
      .post("/profile")
      .type("form")
      .send({ _csrf: csrf, name: "  Priya Sharma " });
    expect(res.status).toBe(303);
    expect((await reload(user)).name).toBe("Priya Sharma");
    const page = await agent.get("/profile").expect(200);
    expect(page.text).toContain("Your name was saved.");
    expect(page.text).toContain('value="Priya Sharma"');
    // The top bar shows the new initials.
    expect(page.text).toContain('<span class="avatar-initials" aria-hidden="true">PS</span>');
  });

  it("saves how to hear about each kind and shows the choices", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, page, csrf } = await signedIn(user);
    // Defaults: in the app and by e-mail; reminders by e-mail; no weekly digest.
    expect(page.text).toMatch(/<select[^>]*id="pref-taskDue" name="taskDue"/);
    expect(page.text).toMatch(/id="pref-taskAssigned"[\s\S]*?<option value="both" selected>/);
    expect(page.text).toMatch(/id="pref-reminders" name="reminders" value="on" checked/);
    expect(page.text).toMatch(/id="pref-weeklyDigest" name="weeklyDigest" value="on" aria/);

    const res = await agent.post("/profile/notifications").type("form").send({
      _csrf: csrf,
      taskDue: "in_app",
      taskAssigned: "email",
      formSubmission: "none",
      importFinished: "both",
      campaignFinished: "both",
      weeklyDigest: "on",
      unknown: "on",
    });
    expect(res.status).toBe(303);
    const saved = await reload(user);
    expect(channelsOf(saved)).toEqual({
      taskDue: "in_app",
      taskAssigned: "email",
      formSubmission: "none",
      importFinished: "both",
      campaignFinished: "both",
      reminders: "none",
      weeklyDigest: "email",
    });
    expect(preferencesOf(saved).formSubmission).toBe(false);
    expect(JSON.parse(saved.notificationPrefs as string)).not.toHaveProperty("unknown");

    const after = await agent.get("/profile").expect(200);
    expect(after.text).toContain("Notification preferences saved.");
    expect(after.text).toMatch(/id="pref-taskAssigned"[\s\S]*?<option value="email" selected>/);
    expect(after.text).toMatch(/id="pref-weeklyDigest" name="weeklyDigest" value="on" checked/);
    expect(after.text).toMatch(/id="pref-reminders" name="reminders" value="on" aria/);

    const bad = await agent
      .post("/profile/notifications")
      .type("form")
      .send({ _csrf: csrf, taskDue: "sms" });
    expect(bad.status).toBe(422);
    expect(channelsOf(await reload(user)).taskDue).toBe("in_app");
  });

  it("lists my sign-in with time, IP and device, newest first, and not other people's", async () => {
    const user = await buildUser(t.deps.models);
    const other = await buildUser(t.deps.models);
    await t.deps.models.ActivityLog.create({
      userId: other.id,
      businessId: null,
      action: "password.changed",
      ip: "198.51.100.77",
      userAgent: null,
      details: null,
    });
    const { agent, csrf } = await signedIn(user);
    await agent.post("/profile").type("form").send({ _csrf: csrf, name: "Renamed Person" });

    const page = await agent.get("/profile/activity").expect(200);
    const rows = page.text.split("<tr data-action=").slice(1);
    expect(rows[0]).toContain("Updated the profile");
    const signInRow = rows.find((row) => row.startsWith('"auth.sign_in"'));
    expect(signInRow).toBeDefined();
    expect(signInRow).toContain("Signed in");
    expect(signInRow).toMatch(/127\.0\.0\.1/);
    expect(signInRow).toContain("Firefox on Linux");
    expect(signInRow).toMatch(
      /<time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{1,2} \w{3} \d{4}, \d\d:\d\d<\/time>/,
    );
    // Without a business there is no business zone: the page says UTC.
    expect(page.text).toContain('Times are in <span data-slot="time-zone">UTC</span>.');
    expect(page.text).not.toContain("198.51.100.77");
  });

  it("shows activity and sessions in the current business's time zone, as every page does", async () => {
    const user = await buildUser(t.deps.models);
    await buildBusiness(t.deps.models, { owner: user, timeZone: "Asia/Kolkata" });
    const at = new Date("2026-11-22T14:03:00Z");
    await buildActivityLog(t.deps.models, {
      userId: user.id,
      action: "password.changed",
      createdAt: at,
    });
    await buildSession(t.deps.models, {
      userId: user.id,
      kind: "api",
      createdAt: at,
      lastSeenAt: at,
    });
    const { agent } = await signedIn(user);

    const activity = await agent.get("/profile/activity").expect(200);
    expect(activity.text).toContain(
      'Times are in <span data-slot="time-zone">Asia/Kolkata</span>.',
    );
    // 14:03 UTC is 19:33 in India.
    expect(activity.text).toContain(
      '<time datetime="2026-11-22T14:03:00.000Z">22 Nov 2026, 19:33</time>',
    );
    const sessions = await agent.get("/profile/sessions").expect(200);
    expect(sessions.text).toContain(
      'Times are in <span data-slot="time-zone">Asia/Kolkata</span>.',
    );
    expect(sessions.text).toContain(
      '<time datetime="2026-11-22T14:03:00.000Z">22 Nov 2026, 19:33</time>',
    );
    expect(sessions.text).not.toContain("UTC");
  });

  it("pages through a long log, 50 entries a page", async () => {
    const user = await buildUser(t.deps.models);
    const start = Date.now() - 10_000_000;
    await t.deps.models.ActivityLog.bulkCreate(
      Array.from({ length: activityPageSize + 5 }, (_, i) => ({
        userId: user.id,
        businessId: null,
        action: i === 0 ? "email.changed" : "business.created",
        ip: `10.0.0.${i}`,
        userAgent: null,
        details: i === 0 ? JSON.stringify({ from: "a@example.test", to: "b@example.test" }) : null,
        createdAt: new Date(start + i * 1000),
      })),
    );
    const { agent } = await signedIn(user);
    const first = await agent.get("/profile/activity").expect(200);
    expect(first.text.split("<tr data-action=")).toHaveLength(activityPageSize + 1);
    expect(first.text).toContain("Page 1 of 2");
    expect(first.text).toContain('href="/profile/activity?page=2"');

    const second = await agent.get("/profile/activity?page=2").expect(200);
    const rows = second.text.split("<tr data-action=").slice(1);
    // 55 seeded + the sign-in = 56: six on the second page, the oldest last.
    expect(rows).toHaveLength(6);
    expect(rows[5]).toContain("Changed the e-mail address");
    expect(rows[5]).toContain("a@example.test → b@example.test");
    expect(rows[5]).toContain("10.0.0.0");

    const nonsense = await agent.get("/profile/activity?page=abc").expect(200);
    expect(nonsense.text).toContain("Page 1 of 2");
  });
});
