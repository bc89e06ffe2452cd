import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember } from "../../../test/factories";
import { buildCampaign, buildSalesTarget } from "../../../test/factoriesCampaigns";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import { periodRange } from "./period";
import { salesReport } from "./report";
import { setTargets, targetsFor } from "./targets";

const db = useTestDatabase();

describe("sales analytics", () => {
  // 15 Dec 2026, 11:30 in Kolkata.
  const clock = new FakeClock("2026-12-15T06:00:00Z");

  it("counts leads, sources, campaigns, stages, pipeline value, won revenue by month and members against targets", async () => {
    const { models } = db.current;
    const deps = testDeps(db.current, { clock });
    const { business, owner } = await buildBusiness(models, { name: "Analytics Traders" });
    const { user: seller } = await buildMember(models, business, "sales");
    const { stages } = await buildPipeline(models, business);
    const [fresh, working, won, lost] = stages;
    const at = (iso: string) => ({ createdAt: new Date(iso), updatedAt: new Date(iso) });

    // Leads: 4 in the last 30 days, 1 two months ago, 1 two years ago.
    await buildLead(models, business, {
      source: "Website",
      score: 80,
      campaignName: "Launch",
      ...at("2026-12-10T10:00:00Z"),
    });
    await buildLead(models, business, {
      source: "Website",
      score: 20,
      stage: "converted",
      ...at("2026-12-01T10:00:00Z"),
    });
    const sellerLead = await buildLead(models, business, {
      source: "Referral",
      score: 75,
      stage: "converted",
      ownerId: seller.id,
      campaignName: "launch",
      ...at("2026-11-20T10:00:00Z"),
    });
    await buildLead(models, business, { source: null, score: 50, ...at("2026-11-30T10:00:00Z") });
    await buildLead(models, business, { source: "Event", ...at("2026-10-01T10:00:00Z") });
    await buildLead(models, business, { source: "Event", ...at("2024-10-01T10:00:00Z") });
    await buildCampaign(models, business, { name: "Launch" });
    await buildCampaign(models, business, { name: "Silent" });

    // Deals: two open (₹1,000 at 10%, ₹2,000 at 50%), a USD one open, won in Dec and Nov, one lost.
    await buildDeal(models, business, { stageId: fresh!.id, amountMinor: 100_000 });
    await buildDeal(models, business, {
      stageId: working!.id,
      amountMinor: 200_000,
      ownerId: seller.id,
    });
    await buildDeal(models, business, { stageId: working!.id, amountMinor: 999, currency: "USD" });
    const closed = (iso: string) => ({ stageId: won!.id, closedAt: new Date(iso) });
    // 1 Dec 00:10 in Kolkata is still 30 Nov in UTC: it belongs to December here.
    await buildDeal(models, business, {
      ...closed("2026-11-30T18:40:00Z"),
      amountMinor: 500_000,
      ownerId: seller.id,
      leadId: sellerLead.id,
    });
    await buildDeal(models, business, { ...closed("2026-11-10T10:00:00Z"), amountMinor: 300_000 });
    await buildDeal(models, business, {
      stageId: lost!.id,
      closedAt: new Date("2026-12-02T10:00:00Z"),
    });

    await buildSalesTarget(models, business, {
      userId: seller.id,
      month: "2026-10",
      amountMinor: 1_000_000,
    });
    await buildSalesTarget(models, business, {
      userId: seller.id,
      month: "2027-01",
      amountMinor: 9,
    });

    const ctx = await contextFor(db.current, business, owner);
    const report = await salesReport(deps, ctx, "30d");
    expect(report.leads).toEqual({ total: 4, hot: 2, converted: 2, conversionRate: 0.5 });
    expect(report.bySource).toEqual([
      { source: "Website", count: 2 },
      { source: null, count: 1 },
      { source: "Referral", count: 1 },
    ]);
    expect(report.topCampaigns).toEqual([
      expect.objectContaining({ name: "Launch", leads: 2, wonDeals: 1, revenueMinor: 500_000 }),
    ]);
    expect(report.stages.map((s) => [s.stage, s.deals, s.amountMinor])).toEqual([
      ["New", 1, 100_000],
      ["In progress", 2, 200_000],
      ["Won", 2, 800_000],
      ["Lost", 1, 15_000_000],
    ]);
    // Open: ₹1,000 + ₹2,000 (the USD deal is counted, not added); weighted 100 + 1,000.
    expect(report.pipeline).toEqual({ openDeals: 3, valueMinor: 300_000, weightedMinor: 110_000 });
    expect(report.wonByMonth).toHaveLength(12);
    expect(report.wonByMonth.slice(-2)).toEqual([
      { month: "2026-11", deals: 1, revenueMinor: 300_000 },
      { month: "2026-12", deals: 1, revenueMinor: 500_000 },
    ]);
    expect(report.month).toBe("2026-12");
    const rows = Object.fromEntries(report.members.map((m) => [m.userId, m]));
    expect(rows[seller.id]).toMatchObject({
      leads: 1,
      converted: 1,
      wonDeals: 1,
      wonRevenueMinor: 500_000,
      targetMinor: 1_000_000,
      achievement: 0.5,
    });
    expect(rows[owner.id]).toMatchObject({
      leads: 3,
      wonDeals: 0,
      targetMinor: null,
      achievement: null,
    });

    const all = await salesReport(deps, ctx, "all");
    expect(all.leads.total).toBe(6);
    const year = await salesReport(deps, ctx, "12m");
    expect(year.leads.total).toBe(5);
    const november = await salesReport(deps, ctx, "30d", "2026-11");
    expect(november.members.find((m) => m.userId === owner.id)).toMatchObject({
      wonDeals: 1,
      wonRevenueMinor: 300_000,
    });

    // The sales member sees their own numbers only.
    const own = await salesReport(deps, await contextFor(db.current, business, seller), "30d");
    expect(own.ownOnly).toBe(true);
    expect(own.leads).toEqual({ total: 1, hot: 1, converted: 1, conversionRate: 1 });
    expect(own.pipeline).toEqual({ openDeals: 1, valueMinor: 200_000, weightedMinor: 100_000 });
    expect(own.members.map((m) => m.userId)).toEqual([seller.id]);
    expect(own.wonByMonth.slice(-2).map((m) => m.revenueMinor)).toEqual([0, 500_000]);
  });

  it("reads a period's start in the business's time zone", () => {
    const { from } = periodRange("12m", new Date("2026-12-15T06:00:00Z"), "Asia/Kolkata");
    // 1 Jan 2026, 00:00 in Kolkata.
    expect(from?.toISOString()).toBe("2025-12-31T18:30:00.000Z");
  });

  it("lets the owner set targets from a month on; others are refused and a sales member reads only theirs", async () => {
    const { models } = db.current;
    const deps = testDeps(db.current, { clock });
    const { business, owner } = await buildBusiness(models);
    const { user: seller } = await buildMember(models, business, "sales");
    const { user: other } = await buildMember(models, business, "sales");
    const { user: admin } = await buildMember(models, business, "admin");
    const ctx = await contextFor(db.current, business, owner);
    await setTargets(deps, ctx, "2026-11", [
      { userId: seller.id, amountMinor: 5_000_000 },
      { userId: other.id, amountMinor: 7_000_000 },
    ]);
    await setTargets(deps, ctx, "2027-02", [{ userId: seller.id, amountMinor: 6_000_000 }]);
    expect([...(await targetsFor(deps, ctx, "2026-12"))]).toEqual(
      expect.arrayContaining([
        [seller.id, 5_000_000],
        [other.id, 7_000_000],
      ]),
    );
    expect((await targetsFor(deps, ctx, "2027-03")).get(seller.id)).toBe(6_000_000);
    // Clearing a month's row brings the earlier target back.
    await setTargets(deps, ctx, "2027-02", [{ userId: seller.id, amountMinor: null }]);
    expect((await targetsFor(deps, ctx, "2027-03")).get(seller.id)).toBe(5_000_000);

    const sellerCtx = await contextFor(db.current, business, seller);
    expect([...(await targetsFor(deps, sellerCtx, "2026-12"))]).toEqual([[seller.id, 5_000_000]]);
    const adminCtx = await contextFor(db.current, business, admin);
    await expect(
      setTargets(deps, adminCtx, "2026-12", [{ userId: seller.id, amountMinor: 1 }]),
    ).rejects.toMatchObject({ id: "forbidden" });
    const { user: stranger } = await buildMember(
      models,
      (await buildBusiness(models)).business,
      "sales",
    );
    await expect(
      setTargets(deps, ctx, "2026-12", [{ userId: stranger.id, amountMinor: 1 }]),
    ).rejects.toMatchObject({ id: "validation_failed" });
    await expect(setTargets(deps, ctx, "2026-13", [])).rejects.toMatchObject({
      id: "validation_failed",
    });
  });
});
