import type { CreationAttributes } from "sequelize";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { parseServerTiming } from "../../lib/requestTiming";
import type { Lead } from "../../models";

/**
 * The lead board at 10,000 leads: at most 25 cards per column and the columns' totals from one
 * GROUP BY, so the statements it runs do not grow with the leads. The time is printed, not
 * asserted (a loaded CI machine); the statement budget is what fails when the board starts
 * reading every lead or counting column by column.
 */
describe("lead board at 10,000 leads", () => {
  let t: TestApp;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp();
    const signedIn = await ownerSignedIn(t, "enterprise");
    agent = signedIn.agent;
    const { business, owner } = signedIn;
    const stages = ["new", "contacted", "qualified", "lost", "converted"] as const;
    for (let batch = 0; batch < 10; batch++) {
      const rows = Array.from({ length: 1000 }, (_, i) => ({
        businessId: business.id,
        firstName: `Lead ${batch * 1000 + i}`,
        stage: stages[(batch * 1000 + i) % stages.length]!,
        score: (batch * 1000 + i) % 101,
        ownerId: owner.id,
        createdById: owner.id,
      })) as CreationAttributes<Lead>[];
      await t.deps.models.Lead.bulkCreate(rows);
    }
    await agent.get("/leads/board").expect(200);
  }, 120_000);
  afterAll(() => t.close());

  it("reads a bounded number of statements and shows 25 cards per column with the totals", async () => {
    const res = await agent.get("/leads/board").expect(200);
    const timing = parseServerTiming(res.headers["server-timing"] as string | undefined);
    const statements = Number(/^(\d+)/.exec(timing.db?.desc ?? "")?.[1]);
    // Shell (≤ 2) + stages (1) + totals (1) + two per column (5 × the page's ids from an index,
    // then those rows with their owners: one joined read took 1.5 s at 1M leads) + owners (1).
    expect(statements).toBeLessThanOrEqual(15);
    expect((res.text.match(/data-lead-id=/g) ?? []).length).toBe(125);
    expect(res.text).toContain("1975 more in the list");
    process.stdout.write(
      `lead board, 10,000 leads: ${timing.total?.dur ?? "?"} ms server time (db ${timing.db?.dur ?? "?"} ms, render ${timing.render?.dur ?? "?"} ms), ${statements} statements\n`,
    );
  });
});
