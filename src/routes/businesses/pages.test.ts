import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildBusiness, buildMember, buildUser, defaultPassword } from "../../../test/factories";

const valid = {
  name: "Sharma Sweets",
  category: "Retail",
  description: "Mithai since 1984",
  phone: "098765 43210",
  whatsapp: "",
  country: "IN",
  timeZone: "Asia/Kolkata",
  currency: "INR",
};

async function signedInAgent(t: TestApp, email: string) {
  const agent = request.agent(t.app);
  await signIn(agent, email, defaultPassword);
  return agent;
}

describe("businesses", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("sends a person without a business to onboarding, creates it with them as owner, phone in E.164", async () => {
    const user = await buildUser(t.deps.models);
    const agent = await signedInAgent(t, user.email);
    expect((await agent.get("/")).headers.location).toBe("/onboarding");
    const page = await agent.get("/onboarding").expect(200);
    const res = await agent
      .post("/businesses")
      .type("form")
      .send({ _csrf: csrfFrom(page), onboarding: "1", ...valid });
    expect(res.headers.location).toBe("/");

    const business = await t.deps.models.Business.findOne({ where: { ownerId: user.id } });
    expect(business).toMatchObject({
      name: "Sharma Sweets",
      phone: "+919876543210",
      whatsapp: "+919876543210",
      timeZone: "Asia/Kolkata",
    });
    const membership = await t.deps.models.Membership.findOne({ where: { userId: user.id } });
    expect(membership?.role).toBe("owner");
    const dashboard = await agent.get("/").expect(200);
    expect(dashboard.text).toContain("Sharma Sweets");
  });

  it("shows each invalid field and creates nothing", async () => {
    const user = await buildUser(t.deps.models);
    const agent = await signedInAgent(t, user.email);
    const page = await agent.get("/businesses/new");
    const res = await agent
      .post("/businesses")
      .type("form")
      .send({
        _csrf: csrfFrom(page),
        ...valid,
        name: "",
        phone: "12",
        timeZone: "Mars/Olympus",
        currency: "XYZW",
      });
    expect(res.status).toBe(422);
    for (const message of [
      "Enter the business name.",
      "Enter a valid phone number.",
      "Choose a time zone.",
      "Choose a currency.",
    ]) {
      expect(res.text).toContain(message);
    }
    expect(await t.deps.models.Business.count({ where: { ownerId: user.id } })).toBe(0);
  });

  it("stops at the plan's business limit with an upgrade message", async () => {
    const { owner } = await buildBusiness(t.deps.models);
    const agent = await signedInAgent(t, owner.email);
    const page = await agent.get("/businesses/new");
    const res = await agent
      .post("/businesses")
      .type("form")
      .send({ _csrf: csrfFrom(page), ...valid });
    expect(res.status).toBe(402);
    expect(res.text).toContain("Your Free plan allows 1 business. Upgrade your plan to add more.");
    expect(await t.deps.models.Business.count({ where: { ownerId: owner.id } })).toBe(1);
  });

  it("switches between businesses the person belongs to, and nowhere else", async () => {
    const { business: first, owner } = await buildBusiness(t.deps.models, { name: "First Co" });
    const { business: second } = await buildBusiness(t.deps.models, { name: "Second Co" });
    const { business: stranger } = await buildBusiness(t.deps.models, { name: "Stranger Co" });
    await buildMember(t.deps.models, second, "manager", owner);
    const agent = await signedInAgent(t, owner.email);
    expect((await agent.get("/")).text).toContain("First Co");
    const list = await agent.get("/businesses");
    await agent
      .post(`/businesses/${second.id}/switch`)
      .type("form")
      .send({ _csrf: csrfFrom(list) })
      .expect(302);
    const after = await agent.get("/business/settings");
    expect(after.status).toBe(403); // a manager may not edit the business
    expect((await agent.get("/businesses")).text).toMatch(/Second Co<\/strong>[\s\S]*?Current/);
    await agent
      .post(`/businesses/${stranger.id}/switch`)
      .type("form")
      .send({ _csrf: csrfFrom(list) })
      .expect(404);
    expect(first.id).not.toBe(second.id);
  });

  it("edits details, and deletes only after the name is typed", async () => {
    const { business, owner } = await buildBusiness(t.deps.models, { name: "Delete Me Ltd" });
    const agent = await signedInAgent(t, owner.email);
    const settings = await agent.get("/business/settings").expect(200);
    await agent
      .post("/business/settings")
      .type("form")
      .send({ _csrf: csrfFrom(settings), ...valid, name: "Delete Me Ltd", currency: "USD" })
      .expect(302);
    await business.reload();
    expect(business.currency).toBe("USD");

    const confirm = await agent.get("/business/delete").expect(200);
    const wrong = await agent
      .post("/business/delete")
      .type("form")
      .send({ _csrf: csrfFrom(confirm), confirmation: "delete me" });
    expect(wrong.status).toBe(422);
    expect(await t.deps.models.Business.count({ where: { id: business.id } })).toBe(1);
    await agent
      .post("/business/delete")
      .type("form")
      .send({ _csrf: csrfFrom(confirm), confirmation: "Delete Me Ltd" })
      .expect(302);
    expect(await t.deps.models.Business.count({ where: { id: business.id } })).toBe(0);
    expect(await t.deps.models.Membership.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("lets only the owner delete", async () => {
    const { business } = await buildBusiness(t.deps.models);
    const { user: admin } = await buildMember(t.deps.models, business, "admin");
    const agent = await signedInAgent(t, admin.email);
    expect((await agent.get("/business/delete")).status).toBe(403);
    expect((await agent.get("/business/settings")).status).toBe(200);
  });
});
