import { QueryTypes, type CreationAttributes } from "sequelize";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { parseServerTiming } from "../../lib/requestTiming";
import type { Lead } from "../../models";

/**
 * The leads list's statement budget, like the customer list's (statementBudget.test.ts): the
 * shell and one page (its ids from an index joined to those rows) — 2 whatever the filter or
 * page; the business's stages and its members (the owner filter, the rows' owners) are remembered per
 * setup version (commands/setup.ts), read by the first page after a change (4 then; 6 on a new
 * business's very first page, which writes its default stages). And the
 * list's reads use an index in id order (migrations/20261229007011): no sort of the business's
 * leads for a page of 26.
 */
const budget = 2;
const firstAfterChange = 6;

function statementsOf(res: { headers: Record<string, unknown> }): number {
  const db = parseServerTiming(res.headers["server-timing"] as string | undefined).db;
  const match = /^(\d+) statements?$/.exec(db?.desc ?? "");
  if (!match) throw new Error(`No statement count in Server-Timing: ${String(db?.desc)}`);
  return Number(match[1]);
}

describe("leads list: statements per page and indexes", () => {
  let t: TestApp;
  let agent: Agent;
  let businessId: number;
  let ownerId: number;
  let next = "";

  beforeAll(async () => {
    t = await buildTestApp();
    const signedIn = await ownerSignedIn(t, "enterprise");
    agent = signedIn.agent;
    businessId = signedIn.business.id;
    ownerId = signedIn.owner.id;
    const stages = ["new", "contacted", "qualified", "lost"] as const;
    const rows = Array.from({ length: 60 }, (_, i) => ({
      businessId,
      firstName: `Lead ${i}`,
      company: i % 2 ? "Techverse" : "Finedge",
      stage: stages[i % stages.length]!,
      score: (i * 7) % 101,
      source: i % 3 ? "Website" : "Referral",
      ownerId: i % 5 ? ownerId : null,
      createdById: ownerId,
    })) as CreationAttributes<Lead>[];
    await t.deps.models.Lead.bulkCreate(rows);
    await agent.get("/businesses").expect(200);
    const first = await agent.get("/leads").expect(200);
    expect(statementsOf(first)).toBeLessThanOrEqual(firstAfterChange);
    next = (/href="([^"]+)" rel="next"/.exec(first.text)?.[1] ?? "").replace(/&amp;/g, "&");
  });
  afterAll(() => t.close());

  it.each([
    ["the list", "/leads"],
    ["a later page", "next"],
    ["a stage", "/leads?stage=qualified"],
    ["hot leads", "/leads?temperature=hot"],
    ["a source", "/leads?source=Referral"],
    ["nobody's", "/leads?ownerId=none"],
    ["a name search", "/leads?q=Lead%201"],
  ])(`%s reads at most ${budget} statements`, async (_name, path) => {
    const url = path === "next" ? next : path;
    expect(url).not.toBe("");
    const res = await agent.get(url).expect(200);
    expect(statementsOf(res)).toBeLessThanOrEqual(budget);
    expect(res.text).toContain("Lead ");
  });

  it("reads a page in id order from an index, without sorting the business's leads", async () => {
    const { sequelize } = t.deps;
    const mysql = sequelize.getDialect() === "mysql";
    const plans: Record<string, string> = {};
    const queries: Record<string, string> = {
      all: `SELECT id FROM leads WHERE business_id = ${businessId} ORDER BY id DESC LIMIT 26`,
      source: `SELECT id FROM leads WHERE business_id = ${businessId} AND source = 'Referral' ORDER BY id DESC LIMIT 26`,
      ownStage: `SELECT id FROM leads WHERE business_id = ${businessId} AND owner_id = ${ownerId} AND stage = 'new' ORDER BY id DESC LIMIT 26`,
    };
    for (const [name, query] of Object.entries(queries)) {
      const rows = await sequelize.query<Record<string, unknown>>(
        mysql ? `EXPLAIN ${query}` : `EXPLAIN QUERY PLAN ${query}`,
        { type: QueryTypes.SELECT },
      );
      plans[name] = JSON.stringify(rows);
    }
    for (const [name, plan] of Object.entries(plans)) {
      // SQLite says "USE TEMP B-TREE FOR ORDER BY", MariaDB "Using filesort", when it sorts.
      expect(`${name}: ${plan}`).not.toMatch(/TEMP B-TREE|filesort/i);
    }
    expect(plans.source).toMatch(/leads_business_source/);
    expect(plans.ownStage).toMatch(/leads_business_owner_stage/);
  });
});
