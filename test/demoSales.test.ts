import { seedDemoSales, demoLeads } from "../seeders/20261224000500-demo-sales";
import { salesReport } from "../src/commands/analytics/report";
import { campaignResults } from "../src/commands/campaigns/results";
import { FakeClock } from "../src/lib/clock";
import { temperatureOf } from "../src/models/Lead";
import { buildBusiness, buildUser } from "./factories";
import { useTestDatabase } from "./support/database";
import { contextFor, testDeps } from "./support/deps";

/** Demo Traders' sales data: exactly the campaigns and leads the design names, once. */
const db = useTestDatabase();

describe("the demo sales seeder", () => {
  it("seeds the three campaigns, the five leads, deals across the stages and targets, once", async () => {
    const { sequelize, models } = db.current;
    const now = new Date("2026-12-02T06:00:00Z");
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, name: "Demo Traders" });
    const context = { sequelize, models, announce: () => undefined };
    await seedDemoSales(context, owner, business, now);
    await seedDemoSales(context, owner, business, now);

    const campaigns = await models.Campaign.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    expect(
      campaigns.map((c) => [c.name, c.status, c.budgetMinor, c.startsOn, c.endsOn, c.currency]),
    ).toEqual([
      ["Launch Sprint 2025", "active", 8_500_000, "2025-04-01", "2025-04-30", "INR"],
      ["Webinar Series Q2", "planned", 4_500_000, "2025-05-10", "2025-05-24", "INR"],
      ["Festive Cashback Promo", "completed", 11_000_000, "2025-12-01", "2025-12-20", "INR"],
    ]);
    expect(campaigns[0]!.objective).toBe("Promote new product features");
    expect(campaigns[1]!.objective).toBe("Weekly webinars");
    expect(campaigns[2]!.reportedLeads).toBe(420);

    const leads = await models.Lead.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    expect(
      leads.map((l) => [
        `${l.firstName} ${l.lastName}`,
        l.email,
        l.phoneE164,
        l.source,
        l.campaignName,
        l.stage,
        l.score,
      ]),
    ).toEqual([
      [
        "Aarav Sharma",
        "aarav@techverse.in",
        "+919876543120",
        "Website",
        "Launch Sprint 2025",
        "contacted",
        45,
      ],
      [
        "Priya Menon",
        "priya.menon@finedge.co",
        "+919822077551",
        "Webinar",
        "Webinar Series Q2",
        "new",
        20,
      ],
      [
        "Rahul Goyal",
        "rahul@retailworks.in",
        "+919811022345",
        "Referral",
        "Festive Cashback Promo",
        "qualified",
        72,
      ],
      [
        "Sneha Kulkarni",
        "sneha@creativesutra.com",
        "+919898011334",
        "Email",
        "Launch Sprint 2025",
        "lost",
        30,
      ],
      [
        "Mohan Rao",
        "mohan.rao@buildsmart.in",
        "+919703044221",
        "Event",
        "Webinar Series Q2",
        "contacted",
        55,
      ],
    ]);
    expect(leads).toHaveLength(demoLeads.length);
    expect(temperatureOf(leads[2]!.score)).toBe("hot");

    const deals = await models.Deal.findAll({
      where: { businessId: business.id },
      include: [{ model: models.PipelineStage, as: "stage" }],
    });
    expect(new Set(deals.map((d) => d.stage!.kind))).toEqual(new Set(["open", "won", "lost"]));
    expect(await models.SalesTarget.count({ where: { businessId: business.id } })).toBe(2);

    // The campaigns' results and the analytics page read the seeded data.
    const deps = testDeps(db.current, { clock: new FakeClock(now) });
    const ctx = await contextFor(db.current, business, owner);
    const results = await campaignResults(deps, ctx, campaigns);
    expect(campaigns.map((c) => results.get(c.id)!.leads)).toEqual([2, 2, 1]);
    const report = await salesReport(deps, ctx, "all");
    expect(report.leads).toMatchObject({ total: 5, hot: 1, converted: 0 });
    expect(report.members.map((m) => m.name)).toEqual(expect.arrayContaining(["Asha Rao"]));
    expect(report.wonByMonth.reduce((sum, m) => sum + m.revenueMinor, 0)).toBe(24_500_000);
  });
});
