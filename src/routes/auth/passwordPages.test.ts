import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, pathOf, signIn } from "../../../test/support/forms";
import { linksIn, waitForMail } from "../../../test/support/outbox";
import { buildSession, buildUser, defaultPassword } from "../../../test/factories";

const newPassword = "Monsoon-evenings-in-Goa-7";

describe("forgotten and changed passwords", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("resets by e-mailed link, signs every session out, and the link works once", async () => {
    const user = await buildUser(t.deps.models);
    const elsewhere = request.agent(t.app);
    await signIn(elsewhere, user.email, defaultPassword);
    await buildSession(t.deps.models, { userId: user.id, kind: "api" });

    const agent = request.agent(t.app);
    const page = await agent.get("/forgot-password");
    const sent = await agent
      .post("/forgot-password")
      .type("form")
      .send({ _csrf: csrfFrom(page), email: user.email });
    expect(sent.text).toContain("a link to choose a new password is on its way");
    const link = linksIn(
      await waitForMail(user.email, { template: "password-reset" }),
    )[0] as string;

    const form = await agent.get(pathOf(link)).expect(200);
    const token = new URL(link).searchParams.get("token") as string;
    const weak = await agent
      .post("/reset-password")
      .type("form")
      .send({ _csrf: csrfFrom(form), token, password: "abc" });
    expect(weak.status).toBe(422);
    const done = await agent
      .post("/reset-password")
      .type("form")
      .send({ _csrf: csrfFrom(form), token, password: newPassword });
    expect(done.headers.location).toBe("/login?reset=1");

    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
    // Signed in, this person (with no business yet) would be sent to onboarding; signed out, they see the welcome page.
    const home = await elsewhere.get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Your customers, in one place.");
    expect((await signIn(request.agent(t.app), user.email, defaultPassword)).status).toBe(401);
    expect((await signIn(request.agent(t.app), user.email, newPassword)).status).toBe(302);
    await waitForMail(user.email, { template: "password-changed" });

    const reuse = await agent
      .post("/reset-password")
      .type("form")
      .send({ _csrf: csrfFrom(form), token, password: "Another-fine-password-9" });
    expect(reuse.status).toBe(400);
    expect((await request(t.app).get(pathOf(link))).status).toBe(400);
  });

  it("needs the current password to change it, then ends the other sessions but not this one", async () => {
    const user = await buildUser(t.deps.models);
    const here = request.agent(t.app);
    const there = request.agent(t.app);
    await signIn(here, user.email, defaultPassword);
    await signIn(there, user.email, defaultPassword);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(2);

    const page = await here.get("/account/password").expect(200);
    const wrong = await here
      .post("/account/password")
      .type("form")
      .send({ _csrf: csrfFrom(page), currentPassword: "not it", password: newPassword });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("That is not your current password.");

    const ok = await here
      .post("/account/password")
      .type("form")
      .send({ _csrf: csrfFrom(page), currentPassword: defaultPassword, password: newPassword });
    expect(ok.status).toBe(302);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(1);
    expect((await here.get("/account/password")).status).toBe(200);
    expect((await there.get("/account/password")).headers.location).toMatch(/^\/login/);
    const log = await t.deps.models.ActivityLog.findAll({
      where: { userId: user.id, action: "password.changed" },
    });
    expect(log).toHaveLength(1);
  });

  it("says the same for an unknown address and sends nothing", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get("/forgot-password");
    const res = await agent
      .post("/forgot-password")
      .type("form")
      .send({ _csrf: csrfFrom(page), email: "ghost@example.test" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("If that address has an account");
  });

  it("answers every address the same, within the mail limits, and mails only accounts", async () => {
    const limited = await buildTestApp({ ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR: "2" });
    const dispatched = jest.spyOn(limited.deps.jobs, "dispatch");
    try {
      const user = await buildUser(limited.deps.models);
      const ask = async (email: string) => {
        const agent = request.agent(limited.app);
        const page = await agent.get("/forgot-password");
        const res = await agent
          .post("/forgot-password")
          .type("form")
          .send({ _csrf: csrfFrom(page), email });
        expect(res.status).toBe(200);
        return /<p class="lead" role="status">([^<]+)<\/p>/.exec(res.text)?.[1];
      };
      const answers = [
        await ask(user.email),
        await ask("ghost@example.test"),
        await ask(user.email),
        await ask(user.email.toUpperCase()), // over this address's limit: nothing is queued
      ];
      expect(new Set(answers).size).toBe(1);
      expect(answers[0]).toContain("we send at most 2 links an hour to one address");
      const resetJobs = dispatched.mock.calls.filter(([name]) => name === "send-password-reset");
      expect(resetJobs.map(([, payload]) => payload)).toEqual([
        { email: user.email },
        { email: "ghost@example.test" },
        { email: user.email },
      ]);
      await waitForMail(user.email, { template: "password-reset", count: 2 });
    } finally {
      dispatched.mockRestore();
      await limited.close();
    }
  });
});
