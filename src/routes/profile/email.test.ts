import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { linksIn, mailsTo, waitForMail } from "../../../test/support/outbox";
import { buildUser, defaultPassword, uniqueEmail } from "../../../test/factories";
import type { User } from "../../models";

describe("Profile → changing the e-mail address", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function signedIn(user: User) {
    const agent = request.agent(t.app);
    expect((await signIn(agent, user.email, defaultPassword)).status).toBe(302);
    return agent;
  }

  async function askForChange(agent: ReturnType<typeof request.agent>, email: string) {
    const page = await agent.get("/profile").expect(200);
    return agent
      .post("/profile/email")
      .type("form")
      .send({ _csrf: csrfFrom(page), email });
  }

  /** The path of the confirmation link in the newest e-mail-change mail to the address. */
  async function confirmationPath(address: string, count = 1): Promise<string> {
    const mail = await waitForMail(address, { template: "email-change", count });
    const link = linksIn(mail).find((url) => url.includes("/profile/email/confirm?token="));
    if (!link) throw new Error(`no confirmation link in: ${mail.text}`);
    expect(link.startsWith(t.deps.config.APP_URL)).toBe(true);
    const url = new URL(link);
    return url.pathname + url.search;
  }

  it("confirms through the link sent to the new address; the old one works until then", async () => {
    const user = await buildUser(t.deps.models, { name: "Kavya Nair" });
    const oldEmail = user.email;
    const newEmail = uniqueEmail("kavya-new");
    const agent = await signedIn(user);

    const res = await askForChange(agent, newEmail.toUpperCase());
    expect(res.status).toBe(303);
    const profile = await agent.get("/profile").expect(200);
    expect(profile.text).toContain(`We sent a confirmation link to ${newEmail}`);
    expect(profile.text).toContain('data-slot="pending-email"');

    const path = await confirmationPath(newEmail);
    const token = new URLSearchParams(path.split("?")[1]).get("token") as string;
    const stored = await t.deps.models.UserToken.findOne({
      where: { userId: user.id, purpose: "email_change" },
    });
    expect(stored?.data).toBe(newEmail);
    expect(stored?.tokenHash).not.toBe(token);
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    // Nothing went to the old address, and it still signs in.
    expect(await mailsTo(oldEmail)).toHaveLength(0);
    expect((await signIn(request.agent(t.app), oldEmail, defaultPassword)).status).toBe(302);
    expect((await t.deps.models.User.findByPk(user.id))?.email).toBe(oldEmail);

    const confirmed = await agent.get(path);
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe("/profile");
    const after = await agent.get("/profile").expect(200);
    expect(after.text).toContain(`Your e-mail address is now ${newEmail}.`);
    expect(after.text).toContain(`<strong data-slot="current-email">${newEmail}</strong>`);
    expect(after.text).not.toContain('data-slot="pending-email"');
    expect((await t.deps.models.User.findByPk(user.id))?.email).toBe(newEmail);

    expect((await signIn(request.agent(t.app), newEmail, defaultPassword)).status).toBe(302);
    expect((await signIn(request.agent(t.app), oldEmail, defaultPassword)).status).toBe(401);

    // Single use.
    const again = await agent.get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain("already been used");

    const actions = await t.deps.models.ActivityLog.findAll({
      where: { userId: user.id },
      order: [["id", "ASC"]],
    });
    const changed = actions.find((a) => a.action === "email.changed");
    expect(actions.map((a) => a.action)).toContain("email.change_requested");
    expect(JSON.parse(changed?.details ?? "{}")).toEqual({ from: oldEmail, to: newEmail });
  });

  it("refuses an expired link and changes nothing", async () => {
    const user = await buildUser(t.deps.models);
    const newEmail = uniqueEmail("late");
    const agent = await signedIn(user);
    expect((await askForChange(agent, newEmail)).status).toBe(303);
    const path = await confirmationPath(newEmail);
    await t.deps.models.UserToken.update(
      { expiresAt: new Date(Date.now() - 1000) },
      { where: { userId: user.id, purpose: "email_change" } },
    );
    const res = await agent.get(path);
    expect(res.status).toBe(410);
    expect(res.text).toContain("This link has expired.");
    expect((await t.deps.models.User.findByPk(user.id))?.email).toBe(user.email);
  });

  it("a newer request replaces the earlier link", async () => {
    const user = await buildUser(t.deps.models);
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    const agent = await signedIn(user);
    await askForChange(agent, first);
    const firstPath = await confirmationPath(first);
    await askForChange(agent, second);
    const secondPath = await confirmationPath(second);
    expect((await agent.get(firstPath)).status).toBe(410);
    expect((await agent.get(secondPath)).status).toBe(303);
    expect((await t.deps.models.User.findByPk(user.id))?.email).toBe(second);
  });

  it("answers an address another account uses like any other, but sends it no link", async () => {
    const user = await buildUser(t.deps.models);
    const other = await buildUser(t.deps.models);
    const agent = await signedIn(user);
    const free = await askForChange(agent, uniqueEmail("free"));
    const res = await askForChange(agent, other.email);
    expect(res.status).toBe(free.status);
    expect(res.headers.location).toBe(free.headers.location);
    expect(
      await t.deps.models.UserToken.count({ where: { userId: user.id, data: other.email } }),
    ).toBe(0);
    expect(await mailsTo(other.email)).toEqual([]);

    const same = await askForChange(agent, user.email);
    expect(same.status).toBe(422);
    expect(same.text).toContain("That is already your e-mail address.");

    const invalid = await askForChange(agent, "not-an-address");
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain("Enter a valid e-mail address.");
    expect(
      await t.deps.models.UserToken.count({ where: { userId: user.id, data: other.email } }),
    ).toBe(0);
  });

  it("a link only works for the account that asked for it", async () => {
    const user = await buildUser(t.deps.models);
    const newEmail = uniqueEmail("mine");
    await askForChange(await signedIn(user), newEmail);
    const path = await confirmationPath(newEmail);

    const intruder = await signedIn(await buildUser(t.deps.models));
    const res = await intruder.get(path);
    expect(res.status).toBe(400);
    expect((await t.deps.models.User.findByPk(user.id))?.email).toBe(user.email);

    const guessed = await intruder.get(
      "/profile/email/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    );
    expect(guessed.status).toBe(400);

    // Signed out, the link leads to the sign-in page and back.
    const anonymous = await request(t.app).get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  });
});
