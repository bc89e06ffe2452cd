import type { Sequelize } from "sequelize";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { createLeadsInBulk } from "./bulkCreate";
import type { LeadChanges } from "./input";
import { saveAssignmentSettings } from "./roundRobinSettings";

const db = useTestDatabase();

/** Statements `work` sends (Sequelize's logging sees every one). */
async function counted<T>(sequelize: Sequelize, work: () => Promise<T>) {
  const options = (sequelize as unknown as { options: { logging: unknown } }).options;
  let statements = 0;
  options.logging = () => (statements += 1);
  try {
    return { result: await work(), statements };
  } finally {
    options.logging = false;
  }
}

describe("leads in bulk (the importer's batches)", () => {
  const clock = new FakeClock("2026-12-05T05:00:00Z");
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    deps = testDeps(db.current, { clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner }));
  });

  it("writes 100 leads in a fixed handful of statements, with turns, scores and timeline", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const members: User[] = [];
    for (const name of ["Asha", "Bala"]) {
      const user = await buildUser(db.current.models, { name });
      await buildMember(db.current.models, business, "sales", user);
      members.push(user);
    }
    await saveAssignmentSettings(deps, ctx, {
      enabled: true,
      chosen: members.map((m) => m.id),
      available: members.map((m) => m.id),
    });
    await db.current.models.LeadScoringRule.create({
      businessId: business.id,
      subject: "source",
      field: null,
      operator: "equals",
      value: "Expo",
      points: 60,
      position: 0,
    });
    await buildLead(db.current.models, business, { email: "taken@example.test", source: "Fair" });
    const rows: LeadChanges[] = Array.from({ length: 100 }, (_, i) => ({
      firstName: `Row ${i}`,
      email: `row${i}@example.test`,
      source: i % 2 ? "Expo" : "Website",
    }));
    rows.push({ firstName: "Taken", email: "taken@example.test" });
    rows.push({ firstName: "Twin", email: "row0@example.test" });
    rows.push({ firstName: "Wrong stage", stage: "converted" });
    const { result, statements } = await counted(db.current.sequelize, () =>
      createLeadsInBulk(deps, ctx, rows, { importId: null, roundRobin: true }),
    );
    // Stages, contacts, rules; BEGIN, turns (4), leads, events, webhook endpoints, COMMIT; on
    // MariaDB once per process its auto-increment mode (db/bulk.ts) — the same for 100 rows as
    // for 1 (it was ~10 a row through createLead).
    expect(statements).toBeLessThanOrEqual(15);
    expect(result.filter((o) => o.kind === "created")).toHaveLength(100);
    expect(result.slice(100).map((o) => o.kind)).toEqual(["duplicate", "duplicate", "invalid"]);
    const leads = await db.current.models.Lead.findAll({
      where: { businessId: business.id, source: ["Expo", "Website"] },
      order: [["id", "ASC"]],
    });
    expect(leads).toHaveLength(100);
    expect(leads.map((l) => l.firstName)).toEqual(rows.slice(0, 100).map((r) => r.firstName));
    const per = new Map<number | null, number>();
    for (const lead of leads) per.set(lead.ownerId, (per.get(lead.ownerId) ?? 0) + 1);
    expect([...per.values()]).toEqual([50, 50]);
    expect(leads.filter((l) => l.source === "Expo").every((l) => l.score === 60)).toBe(true);
    expect(leads.filter((l) => l.source === "Website").every((l) => l.score === 0)).toBe(true);
    const created = await db.current.models.LeadEvent.count({
      where: { businessId: business.id, kind: "created", leadId: leads.map((l) => l.id) },
    });
    expect(created).toBe(100);
    const ids = result.flatMap((o) => (o.kind === "created" ? [o.id] : []));
    expect(ids).toEqual(leads.map((l) => l.id));
  });
});
