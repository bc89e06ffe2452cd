import { buildCustomer, buildMember, buildTask, defaultPassword } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { buildTicket } from "../../../test/factoriesTickets";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { FakeClock } from "../../lib/clock";

// Wednesday 2 December 2026, 11:30 in Kolkata: the week began Monday 30 November (local).
const clock = new FakeClock("2026-12-02T06:00:00Z");
const hoursAgo = (hours: number) => new Date(clock.nowMs() - hours * 3_600_000);

describe("dashboard", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
  });
  afterAll(() => t.close());

  /** Moves a row's created_at (factories write the real time). */
  async function createdAt(table: string, id: number, at: Date) {
    await t.deps.sequelize.query(`UPDATE ${table} SET created_at = ? WHERE id = ?`, {
      replacements: [at, id],
    });
  }

  /** One card's markup, with "=" in links as a browser reads it (Handlebars writes &#x3D;). */
  const card = (page: string, key: string) => {
    const html = page.replace(/&#x3D;/g, "=");
    const start = html.indexOf(`data-card="${key}"`);
    if (start < 0) return null;
    return html.slice(start, html.indexOf("</section>", start));
  };

  it("greets a new business with the checklist, empty states and quick actions", async () => {
    const { agent } = await ownerSignedIn(t, "enterprise");
    const res = await agent.get("/").expect(200);
    expect(res.text).toContain('<h1 class="h3 mb-0">Dashboard</h1>');
    expect(res.text).toContain("Get started");
    expect(res.text).toMatch(/data-item="customers" data-done="no"/);
    expect(res.text).toMatch(/data-item="team" data-done="no"/);
    expect(res.text).toMatch(/data-item="channel" data-done="no"/);
    expect(card(res.text, "customers")).toContain("No customers yet.");
    expect(card(res.text, "deals")).toContain("No open deals.");
    expect(card(res.text, "campaign")).toContain("No campaign has run yet.");
    // Forms and campaigns are in the menu: their items are on the list.
    expect(res.text).toMatch(/data-item="form" data-done="no"/);
    expect(res.text).toMatch(/data-item="campaign" data-done="no"/);
    expect(res.text).toContain("Nothing has happened yet.");
    for (const href of ["/customers/new", "/imports/new", "/leads/new", "/deals/new"])
      expect(res.text).toContain(`href="${href}"`);
    expect(res.text).not.toContain('id="dashboard-data"');
  });

  it("fills every card from the business's data, each linking to its filtered list", async () => {
    const { agent, business, owner } = await ownerSignedIn(t, "enterprise");
    const old = await buildCustomer(t.deps.models, business, { name: "Old Customer" });
    await createdAt("customers", old.id, new Date("2026-10-01T06:00:00Z"));
    await buildCustomer(t.deps.models, business, { name: "Fresh Customer" });
    // Birthday on 5 December: within 7 days, whatever the year.
    await buildCustomer(t.deps.models, business, {
      name: "Birthday Customer",
      birthDate: "1990-12-05",
    });
    const hot = await buildLead(t.deps.models, business, { score: 85 });
    const oldLead = await buildLead(t.deps.models, business, { score: 10 });
    await createdAt("leads", oldLead.id, new Date("2026-11-01T06:00:00Z"));
    await createdAt("leads", hot.id, hoursAgo(30));
    const { stages } = await buildPipeline(t.deps.models, business);
    const won = stages.find((s) => s.kind === "won")!;
    await buildDeal(t.deps.models, business, { amountMinor: 5_000_000 });
    await buildDeal(t.deps.models, business, { amountMinor: 2_500_000 });
    await buildDeal(t.deps.models, business, {
      stageId: won.id,
      amountMinor: 1_000_000,
      closedAt: hoursAgo(24),
    });
    await buildTask(t.deps.models, business, { dueAt: hoursAgo(-2) });
    await buildTask(t.deps.models, business, { dueAt: hoursAgo(48) });
    await buildTask(t.deps.models, business, { dueAt: hoursAgo(-2), status: "done" });
    await buildTicket(t.deps.models, business);
    await buildTicket(t.deps.models, business, { status: "closed" });
    await buildCampaign(t.deps.models, business, { name: "Older Drive", status: "completed" });
    const diwali = await buildCampaign(t.deps.models, business, {
      name: "Diwali Offer",
      status: "active",
      actualSpendMinor: 500_000,
    });
    await buildCampaign(t.deps.models, business, { name: "Only planned" });
    const fromCampaign = await buildLead(t.deps.models, business, { campaignName: "diwali offer" });
    await createdAt("leads", fromCampaign.id, new Date("2026-10-20T06:00:00Z"));
    await buildDeal(t.deps.models, business, {
      stageId: won.id,
      leadId: fromCampaign.id,
      amountMinor: 1_500_000,
      closedAt: new Date("2026-11-15T06:00:00Z"),
    });

    const res = await agent.get("/").expect(200);
    const customers = card(res.text, "customers")!;
    expect(customers).toMatch(/href="\/customers"><span[^>]*>3<\/span> <span[^>]*>in all/);
    expect(customers).toMatch(
      /href="\/customers\?createdFrom=2026-11-30"><span[^>]*>2<\/span> <span[^>]*>new this week/,
    );
    expect(card(res.text, "celebrations")).toMatch(
      /href="\/customers\?upcomingDays=7"><span[^>]*>1</,
    );
    const leads = card(res.text, "leads")!;
    expect(leads).toMatch(/>1<\/span> <span[^>]*>new this week/);
    expect(leads).toMatch(/href="\/leads\?temperature=hot"><span[^>]*>1</);
    const deals = card(res.text, "deals")!;
    expect(deals).toMatch(/>2<\/span> <span[^>]*>open/);
    expect(deals).toContain("75,000");
    const wonCard = card(res.text, "won")!;
    expect(wonCard).toMatch(new RegExp(`href="/deals\\?stageId=${won.id}"><span[^>]*>1<`));
    expect(wonCard).toContain("10,000");
    const tasks = card(res.text, "tasks")!;
    expect(tasks).toMatch(/href="\/tasks\?due=today"><span[^>]*>1</);
    expect(tasks).toMatch(/href="\/tasks\?due=overdue"><span[^>]*>1</);
    expect(card(res.text, "tickets")).toMatch(/href="\/tickets"><span[^>]*>1</);
    // Charts read a data block; the same numbers are in tables.
    expect(res.text).toContain('<script type="application/json" id="dashboard-data">');
    expect(res.text).toContain('src="/vendor/chartjs/chart.umd.min.js"');
    expect(res.text).toMatch(
      /<th scope="row">2026-11-30<\/th><td class="text-end">2<\/td><td class="text-end">1<\/td>/,
    );
    expect(res.text).toMatch(/<th scope="row">2026-09-28<\/th><td class="text-end">1<\/td>/);
    expect(res.text.replace(/&#x3D;/g, "=")).toMatch(
      new RegExp(`href="/deals\\?stageId=${won.id}">Won</a></th><td class="text-end">2<`),
    );
    // The latest campaign that ran, with what it brought in (campaigns/results.ts).
    const campaign = card(res.text, "campaign")!;
    expect(campaign).toContain("Campaign: Diwali Offer");
    expect(campaign).toMatch(
      new RegExp(`href="/campaigns/${diwali.id}"><span[^>]*>1</span> <span[^>]*>leads`),
    );
    expect(campaign).toMatch(/>1<\/span> <span[^>]*>deals won/);
    expect(campaign).toContain("15,000");
    expect(campaign).toContain("ROI 200%");
    // An e-mail sender address is a connected channel.
    await t.deps.models.MessagingChannel.create({
      businessId: business.id,
      kind: "email",
      fromName: "Traders",
      fromAddress: "hello@traders.example",
    });
    const after = await agent.get("/").expect(200);
    expect(after.text).toMatch(/data-item="channel" data-done="yes"/);
    // The checklist ticked off customers; the campaign item too.
    expect(res.text).toMatch(/data-item="campaign" data-done="yes"/);
    expect(res.text).toMatch(/data-item="customers" data-done="yes"/);
    expect(owner.id).toBeGreaterThan(0);
  });

  it("shows a sales member their own numbers only", async () => {
    const { business } = await ownerSignedIn(t, "enterprise");
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    await buildCustomer(t.deps.models, business, { name: "Owner's" });
    await buildCustomer(t.deps.models, business, { name: "Seller's", ownerId: seller.id });
    await buildDeal(t.deps.models, business, { ownerId: seller.id, amountMinor: 100_000 });
    await buildDeal(t.deps.models, business, { amountMinor: 900_000 });
    await buildLead(t.deps.models, business, { score: 90 });
    const agent = await signedIn(t, seller.email);
    const res = await agent.get("/").expect(200);
    expect(res.text).toContain("Your own customers, leads, deals and tasks.");
    expect(card(res.text, "customers")).toMatch(/>1<\/span> <span[^>]*>in all/);
    expect(card(res.text, "deals")).toMatch(/>1<\/span> <span[^>]*>open/);
    expect(card(res.text, "deals")).toContain("1,000");
    expect(card(res.text, "leads")).toMatch(/href="\/leads\?temperature=hot"><span[^>]*>0</);
    // No tickets permission, no checklist (owners and admins only), no import for sales.
    expect(card(res.text, "tickets")).toBeNull();
    expect(res.text).not.toContain("Get started");
    expect(defaultPassword).toBeTruthy();
  });

  it("leaves out the cards of features the plan lacks", async () => {
    const { agent } = await ownerSignedIn(t, "free");
    const res = await agent.get("/").expect(200);
    expect(card(res.text, "customers")).not.toBeNull();
    expect(card(res.text, "tasks")).not.toBeNull();
    for (const key of ["leads", "deals", "won", "tickets"]) expect(card(res.text, key)).toBeNull();
    expect(res.text).not.toContain('href="/leads/new"');
  });

  it("hides the checklist for the business once dismissed; sales may not dismiss it", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const sales = await signedIn(t, seller.email);
    const salesPage = await sales.get("/").expect(200);
    await sales
      .post("/dashboard/checklist/dismiss")
      .type("form")
      .send({ _csrf: csrfFrom(salesPage) })
      .expect(403);
    let page = await agent.get("/").expect(200);
    expect(page.text).toContain("Get started");
    // Inviting a member ticked "team" off.
    expect(page.text).toMatch(/data-item="team" data-done="yes"/);
    for (let i = 0; i < 2; i++) {
      await agent
        .post("/dashboard/checklist/dismiss")
        .type("form")
        .send({ _csrf: csrfFrom(page) })
        .expect(302);
      page = await agent.get("/").expect(200);
    }
    expect(page.text).not.toContain("Get started");
    expect(
      await t.deps.models.DashboardChecklist.count({ where: { businessId: business.id } }),
    ).toBe(1);
  });
});
