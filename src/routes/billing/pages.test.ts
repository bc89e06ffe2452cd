import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildMember, buildUser } from "../../../test/factories";

/** Issue 13 items 1 and 2 on a server without Razorpay keys: /billing, plan changes, the grant. */
describe("billing pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("show the owner the plan, usage, and what to do when nothing was paid yet", async () => {
    const { agent, business } = await ownerSignedIn(t, "free");
    const res = await agent.get("/billing").expect(200);
    expect(res.text).toContain("Free plan: no payment, no end.");
    expect(res.text).toMatch(/data-usage="customers"[\s\S]*?0 of 500/);
    expect(res.text).toContain("data-empty-payments");
    expect(res.text).toContain("data-empty-invoices");
    expect(res.text).toContain("Payments are not configured on this server.");
    const { user } = await buildMember(t.deps.models, business, "admin");
    const admin = await signedIn(t, user.email);
    expect((await admin.get("/billing")).status).toBe(403);
    expect((await request(t.app).get("/billing")).status).toBe(302);
  });

  it("refuse to start a payment without keys and change nothing", async () => {
    const { agent, owner } = await ownerSignedIn(t, "free");
    const page = await agent.get("/billing");
    const res = await agent
      .post("/billing/checkout")
      .type("form")
      .send({ _csrf: csrfFrom(page), plan: "gold", interval: "month" });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/billing");
    const back = await agent.get("/billing");
    expect(back.text).toContain("Payments are not configured on this server.");
    expect(await t.deps.models.Payment.count({ where: { userId: owner.id } })).toBe(0);
    const bad = await agent
      .post("/billing/checkout")
      .type("form")
      .send({ _csrf: csrfFrom(page), plan: "gold", interval: "weekly" });
    expect(bad.status).toBe(302);
    await owner.reload();
    expect(owner.planCode).toBe("free");
  });

  it("let a platform admin grant a plan by hand, with every field's error first", async () => {
    const admin = await buildUser(t.deps.models, { isPlatformAdmin: true });
    const { owner } = await ownerSignedIn(t, "free");
    const agent = await signedIn(t, admin.email);
    expect((await agent.get("/admin")).text).toContain('href="/admin/billing"');
    const form = await agent.get("/admin/billing").expect(200);
    const invalid = await agent
      .post("/admin/billing/grant")
      .type("form")
      .send({ _csrf: csrfFrom(form), email: "not-an-address", plan: "gold", days: "0" });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain("Enter the account&#x27;s e-mail address.");
    expect(invalid.text).toContain("At least 1 day, or leave empty for no end.");
    const granted = await agent
      .post("/admin/billing/grant")
      .type("form")
      .send({ _csrf: csrfFrom(form), email: owner.email, plan: "gold", days: "" });
    expect(granted.status).toBe(302);
    await owner.reload();
    expect(owner.planCode).toBe("gold");
    const after = await agent.get("/admin/billing");
    expect(after.text).toContain(`${owner.email} is on Gold with no end.`);
    expect(
      await t.deps.models.ActivityLog.count({
        where: { userId: admin.id, action: "billing.plan_granted" },
      }),
    ).toBe(1);
    const stranger = await signedIn(t, owner.email);
    expect((await stranger.get("/admin/billing")).status).toBe(404);
  });

  it("cancel a granted plan only once confirmed, dropping to Free", async () => {
    const { agent, owner } = await ownerSignedIn(t, "free");
    const admin = await buildUser(t.deps.models, { isPlatformAdmin: true });
    const adminAgent = await signedIn(t, admin.email);
    const form = await adminAgent.get("/admin/billing");
    await adminAgent
      .post("/admin/billing/grant")
      .type("form")
      .send({ _csrf: csrfFrom(form), email: owner.email, plan: "silver", days: "30" })
      .expect(302);
    const page = await agent.get("/billing").expect(200);
    expect(page.text).toMatch(/Silver, granted until/);
    const unconfirmed = await agent
      .post("/billing/cancel")
      .type("form")
      .send({ _csrf: csrfFrom(page), when: "now" });
    expect(unconfirmed.status).toBe(302);
    await owner.reload();
    expect(owner.planCode).toBe("silver");
    await agent
      .post("/billing/cancel")
      .type("form")
      .send({ _csrf: csrfFrom(page), when: "now", confirm: "yes" })
      .expect(302);
    await owner.reload();
    expect(owner.planCode).toBe("free");
    const after = await agent.get("/billing");
    expect(after.text).toContain("Your account is on Free now.");
  });
});
