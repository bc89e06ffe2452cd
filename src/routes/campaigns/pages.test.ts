import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildMember, buildUser } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("campaign pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  const campaignsOf = (businessId: number) =>
    t.deps.models.Campaign.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "gold"));
  });
  afterAll(() => t.close());

  it("says how to start on an empty list and shows Campaigns in the menu", async () => {
    const list = await agent.get("/campaigns").expect(200);
    expect(list.text).toContain('href="/campaigns"');
    expect(list.text).toContain("No campaigns yet. Plan one");
  });

  it("keeps the values and shows every field's error when the form does not save", async () => {
    const form = await agent.get("/campaigns/new").expect(200);
    const res = await agent
      .post("/campaigns")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        name: "",
        objective: "Kept objective",
        channel: "fax",
        budget: "lots",
        complianceLabel: ["Kept item", ""],
        complianceDone: "0",
      })
      .expect(422);
    expect(res.text).toContain("Kept objective");
    expect(res.text).toContain('value="Kept item"');
    expect(res.text).toMatch(/name="complianceDone" value="0" id="compliance-done-0"[^>]*checked/);
    expect(res.text).toContain("Enter the campaign&#x27;s name");
    expect(res.text).toContain("Choose a channel");
    expect(res.text).toContain("Enter an amount such as 85000");
    // Checks across fields follow once each field reads well.
    const crossed = await agent
      .post("/campaigns")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        name: "Dates",
        channel: "event",
        status: "planned",
        priority: "low",
        budget: "85,000.999",
        startsOn: "2025-04-30",
        endsOn: "2025-04-01",
      })
      .expect(422);
    expect(crossed.text).toContain("The end date cannot be before the start date.");
    expect(crossed.text).toContain("Enter an amount such as 85000");
    expect(await campaignsOf(business.id)).toHaveLength(0);
  });

  it("creates a campaign, shows its results, edits it, refuses a twin name and deletes after confirming", async () => {
    const { user: mate } = await buildMember(t.deps.models, business, "marketing");
    const form = await agent.get("/campaigns/new").expect(200);
    const created = await agent
      .post("/campaigns")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        name: "Launch Sprint 2025",
        channel: "paid_ads",
        objective: "Promote new product features",
        startsOn: "2025-04-01",
        endsOn: "2025-04-30",
        currency: "INR",
        budget: "85,000",
        actualSpend: "20,000",
        plannedLeads: "200",
        reportedLeads: "420",
        ownerId: String(owner.id),
        teamIds: String(mate.id),
        status: "active",
        priority: "high",
        complianceLabel: ["Consent wording approved", "", "", ""],
        complianceDone: "0",
        utmCampaign: "launch-sprint",
      })
      .expect(302);
    const [campaign] = await campaignsOf(business.id);
    expect(created.headers.location).toBe(`/campaigns/${campaign!.id}`);
    expect(campaign).toMatchObject({ budgetMinor: 8_500_000, actualSpendMinor: 2_000_000 });

    // Two leads (one by name, one by utm); one of them won a ₹1,00,000 deal.
    const { stages } = await buildPipeline(t.deps.models, business);
    const byName = await buildLead(t.deps.models, business, { campaignName: "launch sprint 2025" });
    await buildLead(t.deps.models, business, { utmCampaign: "launch-sprint" });
    await buildDeal(t.deps.models, business, {
      leadId: byName.id,
      stageId: stages.find((s) => s.kind === "won")!.id,
      amountMinor: 10_000_000,
    });
    const page = await agent.get(`/campaigns/${campaign!.id}`).expect(200);
    expect(page.text).toMatch(/data-result="leads">2</);
    expect(page.text).toMatch(/data-result="won">1</);
    expect(page.text).toContain("₹1,00,000.00");
    // (1,00,000 − 20,000) / 20,000 = +400%; 20,000 / 2 leads = ₹10,000.
    expect(page.text).toMatch(/data-result="roi">\+400%</);
    expect(page.text).toContain("₹10,000.00");
    expect(page.text).toContain("1 of 1 done");
    expect(page.text).toContain('data-result="reported">420 reported by the channel');
    const list = await agent.get("/campaigns?status=active").expect(200);
    expect(list.text).toContain("Launch Sprint 2025");
    expect(list.text).toContain("+400%");
    const none = await agent.get("/campaigns?status=paused").expect(200);
    expect(none.text).toContain("No campaigns match these filters.");

    const edit = await agent.get(`/campaigns/${campaign!.id}/edit`).expect(200);
    expect(edit.text).toContain('value="85000.00"');
    await agent
      .post(`/campaigns/${campaign!.id}`)
      .type("form")
      .send({
        _csrf: csrfFrom(edit),
        name: "Launch Sprint 2025",
        channel: "paid_ads",
        currency: "INR",
        budget: "85000.00",
        actualSpend: "",
        status: "completed",
        priority: "high",
      })
      .expect(302);
    await campaign!.reload();
    expect(campaign).toMatchObject({
      status: "completed",
      actualSpendMinor: null,
      objective: null,
    });

    await buildCampaign(t.deps.models, business, { name: "Webinar Series Q2" });
    const twin = await agent
      .post(`/campaigns/${campaign!.id}`)
      .type("form")
      .send({
        _csrf: csrfFrom(edit),
        name: "WEBINAR series q2",
        channel: "email",
        status: "planned",
        priority: "low",
      })
      .expect(409);
    expect(twin.text).toContain("A campaign named Webinar Series Q2 already exists.");

    const confirm = await agent.get(`/campaigns/${campaign!.id}/delete`).expect(200);
    expect(confirm.text).toContain("This cannot be undone.");
    await agent
      .post(`/campaigns/${campaign!.id}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) })
      .expect(302);
    expect((await campaignsOf(business.id)).map((c) => c.name)).toEqual(["Webinar Series Q2"]);
  });

  it("is closed to roles without campaigns.manage and to plans without campaigns", async () => {
    const seller = await buildUser(t.deps.models);
    await buildMember(t.deps.models, business, "sales", seller);
    const sales = await signedIn(t, seller.email);
    await sales.get("/campaigns").expect(403);
    const { agent: freeAgent } = await ownerSignedIn(t, "free");
    const locked = await freeAgent.get("/campaigns").expect(402);
    expect(locked.text).toContain("Campaigns");
  });
});
