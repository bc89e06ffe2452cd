import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, pathOf, signIn } from "../../../test/support/forms";
import { linksIn, waitForMail } from "../../../test/support/outbox";
import {
  buildBusiness,
  buildInvitation,
  buildMember,
  buildUser,
  defaultPassword,
  uniqueEmail,
} from "../../../test/factories";

async function agentFor(t: TestApp, email: string) {
  const agent = request.agent(t.app);
  await signIn(agent, email, defaultPassword);
  return agent;
}

async function invite(agent: ReturnType<typeof request.agent>, email: string, role: string) {
  const page = await agent.get("/team");
  return agent
    .post("/team/invitations")
    .type("form")
    .send({ _csrf: csrfFrom(page), email, role });
}

describe("team and invitations", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("shows a pending invitation's last day in the business's time zone", async () => {
    const { business, owner } = await buildBusiness(t.deps.models, { timeZone: "Asia/Kolkata" });
    // 20:00 UTC on the 22nd is 01:30 on the 23rd in India.
    const { invitation } = await buildInvitation(t.deps.models, {
      businessId: business.id,
      expiresAt: new Date("2099-11-22T20:00:00Z"),
    });
    const page = await (await agentFor(t, owner.email)).get("/team").expect(200);
    expect(page.text).toContain(invitation.email);
    expect(page.text).toContain("until 2099-11-23");
  });

  it("invites a new person, who creates an account from the link and lands in the business with the role", async () => {
    const { business, owner } = await buildBusiness(t.deps.models, { name: "Gupta Traders" });
    const ownerAgent = await agentFor(t, owner.email);
    const email = uniqueEmail("invitee");
    expect((await invite(ownerAgent, email, "sales")).status).toBe(302);
    expect((await ownerAgent.get("/team")).text).toContain(email);

    const mail = await waitForMail(email, { template: "invitation" });
    expect(mail.subject).toContain("Gupta Traders");
    const link = linksIn(mail).find((l) => l.includes("/invitations/accept")) as string;
    const invitee = request.agent(t.app);
    const page = await invitee.get(pathOf(link)).expect(200);
    expect(page.text).toContain("Create account and join");
    const token = new URL(link).searchParams.get("token") as string;
    const joined = await invitee
      .post("/invitations/accept")
      .type("form")
      .send({
        _csrf: csrfFrom(page),
        token,
        name: "Ravi Kumar",
        password: "Saffron-and-cardamom-42",
      });
    expect(joined.headers.location).toBe("/");

    const user = await t.deps.models.User.findOne({ where: { email } });
    expect(user?.activatedAt).not.toBeNull();
    const membership = await t.deps.models.Membership.findOne({
      where: { businessId: business.id, userId: user?.id },
    });
    expect(membership?.role).toBe("sales");
    const dashboard = await invitee.get("/").expect(200);
    expect(dashboard.text).toContain("Gupta Traders");
    expect(dashboard.text).toContain('href="/team"');
    expect(dashboard.text).not.toContain('href="/business/settings"');
    expect((await request(t.app).get(pathOf(link))).status).toBe(404);
  });

  it("lets an existing account accept after signing in, and refuses another account", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const existing = await buildUser(t.deps.models, { name: "Existing Person" });
    const other = await buildUser(t.deps.models);
    await invite(await agentFor(t, owner.email), existing.email, "support");
    const link = linksIn(
      await waitForMail(existing.email, { template: "invitation" }),
    )[0] as string;

    const anonymous = await request(t.app).get(pathOf(link));
    expect(anonymous.text).toContain("Sign in to accept");

    const wrong = await agentFor(t, other.email);
    const wrongPage = await wrong.get(pathOf(link));
    expect(wrongPage.text).toContain(`You are signed in as ${other.email}`);
    const token = new URL(link).searchParams.get("token") as string;
    expect(
      (
        await wrong
          .post("/invitations/accept")
          .type("form")
          .send({ _csrf: csrfFrom(wrongPage), token })
      ).status,
    ).toBe(403);

    const right = await agentFor(t, existing.email);
    const page = await right.get(pathOf(link));
    await right
      .post("/invitations/accept")
      .type("form")
      .send({ _csrf: csrfFrom(page), token })
      .expect(302);
    const membership = await t.deps.models.Membership.findOne({
      where: { businessId: business.id, userId: existing.id },
    });
    expect(membership?.role).toBe("support");
  });

  it("changes a role and removes a member; never the owner, never above one's own role", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const { membership: adminMembership, user: admin } = await buildMember(
      t.deps.models,
      business,
      "admin",
    );
    const { membership: sales } = await buildMember(t.deps.models, business, "sales");
    const ownerMembership = await t.deps.models.Membership.findOne({
      where: { businessId: business.id, userId: owner.id },
    });

    const adminAgent = await agentFor(t, admin.email);
    const page = await adminAgent.get("/team");
    const _csrf = csrfFrom(page);
    await adminAgent
      .post(`/team/members/${sales.id}/role`)
      .type("form")
      .send({ _csrf, role: "manager" })
      .expect(302);
    expect((await sales.reload()).role).toBe("manager");
    expect(
      (
        await adminAgent
          .post(`/team/members/${sales.id}/role`)
          .type("form")
          .send({ _csrf, role: "owner" })
      ).status,
    ).toBe(403);
    expect(
      (
        await adminAgent
          .post(`/team/members/${ownerMembership?.id}/remove`)
          .type("form")
          .send({ _csrf })
      ).status,
    ).toBe(403);
    expect(
      (
        await adminAgent
          .post(`/team/members/${adminMembership.id}/remove`)
          .type("form")
          .send({ _csrf })
      ).status,
    ).toBe(403);
    await adminAgent
      .post(`/team/members/${sales.id}/remove`)
      .type("form")
      .send({ _csrf })
      .expect(302);
    expect(await t.deps.models.Membership.count({ where: { id: sales.id } })).toBe(0);
  });

  it("does not let sales invite, and stops at the plan's seat limit", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const { user: salesUser } = await buildMember(t.deps.models, business, "sales");
    const salesAgent = await agentFor(t, salesUser.email);
    expect((await salesAgent.get("/team")).text).not.toContain("Send invitation");
    expect((await invite(salesAgent, uniqueEmail(), "sales")).status).toBe(403);

    // Free allows 2 seats: the owner and the sales member fill them.
    const res = await invite(await agentFor(t, owner.email), uniqueEmail("extra"), "support");
    expect(res.status).toBe(402);
    expect(res.text).toContain("Your Free plan allows 2 team members.");
  });

  it("refuses to invite someone already in the team", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    await t.deps.models.User.update({ planCode: "gold" }, { where: { id: owner.id } });
    const { user } = await buildMember(t.deps.models, business, "marketing");
    const res = await invite(await agentFor(t, owner.email), user.email, "sales");
    expect(res.status).toBe(409);
    expect(res.text).toContain("is already a member");
  });
});
