import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildMember, buildUser } from "../../../test/factories";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

const clock = new FakeClock("2026-12-15T06:00:00Z");

describe("analytics pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "gold"));
  });
  afterAll(() => t.close());

  const metric = (html: string, name: string) =>
    new RegExp(`data-metric="${name}">([^<]*)<`).exec(html)?.[1];

  it("says what to do with no data, and carries the charts' data in a JSON block with Chart.js served locally", async () => {
    const page = await agent.get("/analytics").expect(200);
    expect(page.text).toContain("No leads arrived in this period");
    expect(page.text).toContain('<script type="application/json" id="analytics-data">');
    expect(page.text).toContain('<script src="/vendor/chartjs/chart.umd.min.js" defer></script>');
    expect(page.text).toContain('href="/analytics"');
    const json = /id="analytics-data">([^<]*)<\/script>/.exec(page.text)?.[1];
    expect(JSON.parse(json!)).toMatchObject({ revenue: { currency: "INR" } });
    await agent.get("/vendor/chartjs/chart.umd.min.js").expect(200);
    await agent.get("/js/charts.js").expect(200);
    await agent.get("/analytics?period=forever").expect(422);
  });

  it("shows the business's numbers to the owner and a sales member's own numbers to them", async () => {
    const seller = await buildUser(t.deps.models, { name: "Sana Seller" });
    await buildMember(t.deps.models, business, "sales", seller);
    const at = { createdAt: new Date("2026-12-10T10:00:00Z") };
    await buildLead(t.deps.models, business, { ...at, score: 90, source: "Website" });
    await buildLead(t.deps.models, business, { ...at, stage: "converted", source: "Referral <b>" });
    await buildLead(t.deps.models, business, { ...at, ownerId: seller.id, source: "Event" });
    const { stages } = await buildPipeline(t.deps.models, business);
    await buildDeal(t.deps.models, business, {
      stageId: stages.find((s) => s.kind === "won")!.id,
      closedAt: new Date("2026-12-05T10:00:00Z"),
      amountMinor: 12_345_00,
      ownerId: seller.id,
    });

    const page = await agent.get("/analytics?period=30d").expect(200);
    expect(metric(page.text, "total")).toBe("3");
    expect(metric(page.text, "hot")).toBe("1");
    expect(metric(page.text, "converted")).toBe("1");
    expect(metric(page.text, "rate")).toBe("33.3%");
    expect(page.text).toContain("Sana Seller");
    expect(page.text).toContain("₹12,345.00");
    // The source is text in the tables and escaped inside the JSON block.
    expect(page.text).toContain("Referral &lt;b&gt;");
    expect(page.text).toContain("Referral \\u003cb>");

    const sales = await signedIn(t, seller.email);
    const own = await sales.get("/analytics?period=30d").expect(200);
    expect(own.text).toContain("Your own leads and deals only.");
    expect(metric(own.text, "total")).toBe("1");
    expect(own.text).not.toContain(owner.name);
    expect(own.text).not.toContain("Set monthly targets");
    await sales.get("/analytics/targets").expect(403);
  });

  it("lets the owner set monthly targets, keeping typed values and errors when one is wrong", async () => {
    const seller = await buildUser(t.deps.models, { name: "Tara Target" });
    await buildMember(t.deps.models, business, "sales", seller);
    const form = await agent.get("/analytics/targets?month=2026-12").expect(200);
    expect(form.text).toContain("Tara Target");
    const bad = await agent
      .post("/analytics/targets")
      .type("form")
      .send({ _csrf: csrfFrom(form), month: "2026-12", [`target_${seller.id}`]: "lots" })
      .expect(422);
    expect(bad.text).toContain('value="lots"');
    expect(bad.text).toContain("Enter a monthly target such as 5,00,000");
    await agent
      .post("/analytics/targets")
      .type("form")
      .send({ _csrf: csrfFrom(form), month: "2026-12", [`target_${seller.id}`]: "5,00,000" })
      .expect(302);
    const target = await t.deps.models.SalesTarget.findOne({ where: { userId: seller.id } });
    expect(target).toMatchObject({ month: "2026-12", amountMinor: 50_000_000, currency: "INR" });
    const page = await agent.get("/analytics").expect(200);
    expect(page.text).toContain("₹5,00,000.00");
  });

  it("is locked below Gold", async () => {
    const { agent: silver } = await ownerSignedIn(t, "silver");
    await silver.get("/analytics").expect(402);
  });
});
