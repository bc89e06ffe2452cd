import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, pathOf, signIn } from "../../../test/support/forms";
import { linksIn, mailsTo, waitForMail } from "../../../test/support/outbox";
import { buildUser, uniqueEmail } from "../../../test/factories";

const strongPassword = "Sunrise-over-Pune-2026";

async function register(agent: ReturnType<typeof request.agent>, fields: Record<string, string>) {
  const page = await agent.get("/register");
  return agent
    .post("/register")
    .type("form")
    .send({ _csrf: csrfFrom(page), ...fields });
}

/** Opens an activation link and presses its button, as a person does. */
async function activate(agent: ReturnType<typeof request.agent>, link: string) {
  const page = await agent.get(pathOf(link));
  const token = new URL(link).searchParams.get("token") ?? "";
  // An expired link's page still carries a form (to resend), hence a token.
  return agent
    .post("/activate")
    .type("form")
    .send({ _csrf: csrfFrom(page), token });
}

describe("sign-up with e-mail activation", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("creates an inactive account, e-mails a single-use link that activates and signs in", async () => {
    const email = uniqueEmail("new");
    const agent = request.agent(t.app);
    const res = await register(agent, { name: "Kavya Nair", email, password: strongPassword });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Check your inbox");
    const user = await t.deps.models.User.findOne({ where: { email } });
    expect(user?.activatedAt).toBeNull();
    expect((await signIn(request.agent(t.app), email, strongPassword)).status).toBe(401);

    const mail = await waitForMail(email, { template: "activation" });
    const link = linksIn(mail).find((l) => l.includes("/activate?token="));
    expect(link).toBeDefined();
    // Only the hash is stored: the token in the link is nowhere in the database.
    const token = new URL(link as string).searchParams.get("token") as string;
    expect(await t.deps.models.UserToken.count({ where: { tokenHash: token } })).toBe(0);

    // Opening the link asks for a click: a GET alone signs nobody in.
    const confirm = await agent.get(pathOf(link as string));
    expect(confirm.status).toBe(200);
    expect(await user?.reload().then((u) => u.activatedAt)).toBeNull();
    const activated = await activate(agent, link as string);
    expect(activated.status).toBe(302);
    await user?.reload();
    expect(user?.activatedAt).not.toBeNull();
    expect((await agent.get("/")).headers.location).toBe("/onboarding");

    const again = await request(t.app).get(pathOf(link as string));
    expect(again.status).toBe(400);
    expect(again.text).toContain("invalid, already used or expired");
    expect((await activate(request.agent(t.app), link as string)).status).toBe(400);
  });

  it("gives the account the password of whoever proves the mailbox, not of whoever registered first", async () => {
    const email = uniqueEmail("victim");
    await register(request.agent(t.app), {
      name: "Attacker",
      email,
      password: "Attacker-chose-this-1",
    });
    await register(request.agent(t.app), { name: "Victim", email, password: strongPassword });
    const link = linksIn(
      await waitForMail(email, { template: "activation", count: 2 }),
    )[0] as string;
    expect((await activate(request.agent(t.app), link)).status).toBe(302);
    expect((await signIn(request.agent(t.app), email, "Attacker-chose-this-1")).status).toBe(401);
    expect((await signIn(request.agent(t.app), email, strongPassword)).status).toBe(302);
  });

  it("refuses an expired activation link", async () => {
    const email = uniqueEmail("late");
    await register(request.agent(t.app), { name: "Late Person", email, password: strongPassword });
    const link = linksIn(await waitForMail(email, { template: "activation" }))[0] as string;
    await t.deps.models.UserToken.update(
      { expiresAt: new Date(Date.now() - 1000) },
      { where: { purpose: "activation" } },
    );
    expect((await request(t.app).get(pathOf(link))).status).toBe(400);
  });

  it("explains every password rule broken and keeps what was typed, creating nothing", async () => {
    const email = uniqueEmail("weak");
    const res = await register(request.agent(t.app), {
      name: "Weak Pass",
      email,
      password: "short",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Use at least 10 characters.");
    expect(res.text).toContain("Mix at least three of");
    expect(res.text).toContain(`value="${email}"`);
    expect(await t.deps.models.User.count({ where: { email } })).toBe(0);
  });

  it("answers a taken address exactly like a new one, and mails its owner a reset link instead", async () => {
    const existing = await buildUser(t.deps.models);
    const res = await register(request.agent(t.app), {
      name: "Someone",
      email: existing.email,
      password: strongPassword,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Check your inbox");
    const mail = await waitForMail(existing.email, { template: "password-reset" });
    expect(linksIn(mail)[0]).toContain("/reset-password?token=");
    expect(await t.deps.models.User.count({ where: { email: existing.email } })).toBe(1);
  });

  it("resends the activation link, and the newest link is the one that works", async () => {
    const email = uniqueEmail("resend");
    await register(request.agent(t.app), { name: "Resend Me", email, password: strongPassword });
    const first = linksIn(await waitForMail(email, { template: "activation" }))[0] as string;
    const agent = request.agent(t.app);
    const page = await agent.get("/activate/resend");
    const res = await agent
      .post("/activate/resend")
      .type("form")
      .send({ _csrf: csrfFrom(page), email });
    expect(res.text).toContain("new link is on its way");
    const second = linksIn(
      await waitForMail(email, { template: "activation", count: 2 }),
    )[0] as string;
    expect(second).not.toBe(first);
    expect((await request(t.app).get(pathOf(first))).status).toBe(400);
    // A resent link carries no password: opening it leads to choosing one.
    const chosen = await activate(request.agent(t.app), second);
    expect(chosen.headers.location).toMatch(/^\/reset-password\?token=/);
    // Asking for an address without an account sends nothing and says the same.
    const nobody = uniqueEmail("nobody");
    const quiet = await agent
      .post("/activate/resend")
      .type("form")
      .send({ _csrf: csrfFrom(page), email: nobody });
    expect(quiet.text).toContain("new link is on its way");
    expect(await mailsTo(nobody)).toEqual([]);
  });
});
