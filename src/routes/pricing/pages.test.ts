import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildMember, buildUser } from "../../../test/factories";

/**
 * Issue 13 item 1 (and issue 10 item 8 before it): the pricing page, the locks and 402s that lead
 * to it, and what a server without Razorpay keys says. No keys in this file's app.
 */
describe("pricing", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("lists the plans to visitors with monthly and yearly prices, GST shown, limits and features", async () => {
    const res = await request(t.app).get("/pricing").expect(200);
    for (const code of ["free", "silver", "gold", "enterprise"])
      expect(res.text).toContain(`data-plan="${code}"`);
    expect(res.text).not.toContain("data-current");
    expect(res.text).toMatch(
      /data-plan="silver"[\s\S]*?data-price-month>₹999<\/span> a month <span[^>]*>\+ ₹179.82 GST = ₹1,178.82/,
    );
    expect(res.text).toMatch(
      /data-plan="silver"[\s\S]*?data-price-year>₹9,990<\/span> a year <span[^>]*>\+ ₹1,798.20 GST = ₹11,788.20/,
    );
    expect(res.text).toMatch(/data-plan="enterprise"[\s\S]*?data-price-month>₹7,499</);
    expect(res.text).toMatch(/data-plan="free"[\s\S]*?Customers<\/span><span[^>]*>500</);
    expect(res.text).toMatch(
      /data-plan="enterprise"[\s\S]*?Customers<\/span><span[^>]*>Unlimited</,
    );
    expect(res.text).toMatch(/<tr id="feature-segments">/);
    expect(res.text).toMatch(/<tr id="limit-customers">/);
    expect(res.text).toContain("try Silver free for 14 days");
    expect(res.text).toContain('href="/register"');
    // No keys on this server: it says so, and offers no payment buttons.
    expect(res.text).toContain("Payments are not configured on this server.");
    expect(res.text).not.toContain('action="/billing/checkout"');
  });

  it("sends the old plans page to pricing", async () => {
    const res = await request(t.app).get("/plans").expect(302);
    expect(res.headers.location).toBe("/pricing");
  });

  it("shows a member the current plan and usage against each limit", async () => {
    const { agent, business } = await ownerSignedIn(t, "free");
    await t.deps.models.Business.update({ customerCount: 12 }, { where: { id: business.id } });
    const res = await agent.get("/pricing").expect(200);
    expect(res.text).toMatch(/data-plan="free"[^>]*>[\s\S]*?data-current>Current plan/);
    expect(res.text).not.toMatch(/data-plan="silver"[^>]*>[\s\S]{0,400}data-current/);
    expect(res.text).toContain(`${business.name}: Free plan`);
    expect(res.text).toMatch(/data-usage="customers"[\s\S]*?12 of 500/);
    expect(res.text).toMatch(/data-usage="teamSeats"[\s\S]*?1 of 2/);
    expect(res.text).toMatch(/data-usage="businesses"[\s\S]*?1 of 1/);
    expect(res.text).toContain('href="/billing"');
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const sales = await signedIn(t, seller.email);
    const theirs = await sales.get("/pricing").expect(200);
    expect(theirs.text).toContain("ask the owner to request a change");
    expect(theirs.text).not.toContain('href="/billing"');
  });

  it("highlights the plan a lock links to", async () => {
    const res = await request(t.app).get("/pricing/gold").expect(200);
    expect(res.text).toMatch(/data-plan="gold"[^>]*data-suggested/);
    expect(res.text).not.toMatch(/data-plan="silver"[^>]*data-suggested/);
  });

  it("lock what a Free business lacks, naming the plan that has it, on the menu and buttons", async () => {
    const { agent } = await ownerSignedIn(t, "free");
    const list = await agent.get("/customers").expect(200);
    expect(list.text).not.toContain('href="/imports/new"');
    expect(list.text).toMatch(/data-locked="imports"[^>]*>[\s\S]*?Import <span[^>]*>Silver</);
    expect(list.text).toContain("importing a file comes with the");
    expect(list.text).toMatch(
      /<a[^>]*href="\/pricing\/silver#feature-imports"[^>]*data-locked="Imports"/,
    );
    expect(list.text).toMatch(
      /<a[^>]*href="\/pricing\/silver#feature-segments"[^>]*data-locked="Segments"/,
    );
    expect(list.text).toMatch(
      /<a[^>]*href="\/pricing\/gold#feature-leads"[^>]*data-locked="Leads"/,
    );
  });

  it("answer a gated page with the feature, the plan that has it and a link to pricing", async () => {
    const { agent } = await ownerSignedIn(t, "free");
    const res = await agent.get("/segments");
    expect(res.status).toBe(402);
    expect(res.text).toContain("<title>Upgrade needed · CRM</title>");
    expect(res.text).toContain(
      "The Silver plan and above include Segments; this business is on the Free plan.",
    );
    expect(res.text).toContain('href="/pricing/silver#feature-segments"');
    expect(res.text).toContain("See the plans");
  });

  it("are not locked on a plan that has them", async () => {
    const { agent } = await ownerSignedIn(t, "silver");
    const list = await agent.get("/customers").expect(200);
    expect(list.text).toContain('href="/imports/new"');
    expect(list.text).not.toMatch(
      /href="\/pricing\/\w+#feature-(customers|tasks|segments|imports)"/,
    );
  });

  it("starts a 14-day Silver trial when a new account creates its first business", async () => {
    const user = await buildUser(t.deps.models, { name: "New Person" });
    const agent = await signedIn(t, user.email);
    const form = await agent.get("/onboarding").expect(200);
    await agent
      .post("/businesses")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        name: "Trial Traders",
        country: "IN",
        timeZone: "Asia/Kolkata",
        currency: "INR",
      })
      .expect(302);
    await user.reload();
    expect(user.planCode).toBe("silver");
    const sub = await t.deps.models.Subscription.findOne({ where: { userId: user.id } });
    expect(sub?.status).toBe("trialing");
    expect(sub!.periodEnd!.getTime() - sub!.periodStart!.getTime()).toBe(14 * 86_400_000);
    const billing = await agent.get("/billing").expect(200);
    expect(billing.text).toMatch(/Trial of Silver: 14 days left/);
    // Payments are not configured here: choosing a plan says so instead of pretending.
    expect(billing.text).toContain("Payments are not configured on this server.");
  });
});
