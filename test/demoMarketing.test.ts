import {
  demoSendName,
  seedDemoDashboard,
  seedDemoMarketing,
} from "../seeders/20261230003020-demo-marketing";
import { dashboardSummary } from "../src/commands/dashboard/summary";
import { FakeClock } from "../src/lib/clock";
import { buildBusiness, buildCustomer, buildUser } from "./factories";
import { useTestDatabase } from "./support/database";
import { contextFor, testDeps } from "./support/deps";

/** Demo Traders' marketing and dashboard data: what the cards show, seeded once. */
const db = useTestDatabase();

describe("the demo marketing seeder", () => {
  it("seeds a sent campaign with results, scheduled posts and due tasks, once", async () => {
    const { sequelize, models } = db.current;
    const now = new Date("2026-12-02T06:00:00Z");
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, timeZone: "Asia/Kolkata" });
    for (let i = 0; i < 25; i++) await buildCustomer(models, business, { name: `Demo ${i}` });
    const context = { sequelize, models, announce: () => undefined };
    for (let run = 0; run < 2; run++) {
      await seedDemoMarketing(context, business, now);
      await seedDemoDashboard(context, business, now);
    }

    const ctx = await contextFor(db.current, business, owner);
    const s = await dashboardSummary(testDeps(db.current, { clock: new FakeClock(now) }), ctx);
    expect(s.campaign).toMatchObject({ name: demoSendName, sendState: "completed" });
    // 25 recipients: one failed (every 20th), three only sent (3, 13, 23), the rest delivered or read.
    expect(s.campaign!.send).toMatchObject({ total: 25, failed: 1, sent: 3, reached: 24 });
    expect(s.social!.count).toBe(3);
    expect(s.social!.next.map((p) => p.networks)).toEqual([
      ["facebook", "linkedin"],
      ["facebook", "instagram"],
      ["linkedin"],
    ]);
    expect(s.tasks).toEqual({ dueToday: 1, overdue: 1 });
    expect(s.customers!.upcoming).toBe(2);
    expect(s.deals!.wonThisMonth).toBe(1);
    const events = await models.BusinessEvent.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    expect(events.map((e) => [e.source, e.kind])).toEqual([
      ["campaign", "completed"],
      ["social", "published"],
      ["social", "published"],
    ]);
    // Nothing can reach a network: every demo account needs a reconnect.
    const accounts = await models.SocialAccount.findAll({ where: { businessId: business.id } });
    expect(accounts.map((a) => a.status)).toEqual([
      "needs_reconnect",
      "needs_reconnect",
      "needs_reconnect",
    ]);
  });
});
