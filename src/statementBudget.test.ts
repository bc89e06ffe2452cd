import { buildTestApp, type TestApp } from "../test/support/app";
import { linkWithRel, ownerSignedIn, type Agent } from "../test/support/customers";
import { buildCustomer, buildNotification, buildSegment } from "../test/factories";
import { parseServerTiming } from "./lib/requestTiming";

/**
 * Statement budgets of the pages every member opens all day (issue 9): the signed-in shell reads
 * the session and the request context (user, memberships, businesses, plans' codes, unread count)
 * in at most two statements (one today); a customer list page — whatever its filter, search or page
 * — stays within five: its rows with their tags, plus what its filter needs (the capped count of a
 * search; the tags' ids and sizes, and for several tags their count). Counted by the same per-request instrumentation as the
 * Server-Timing header, so a page that starts reading more fails here before it ships.
 */
const budgets = { shell: 2, list: 5 };

function statementsOf(res: { headers: Record<string, unknown> }): number {
  const db = parseServerTiming(res.headers["server-timing"] as string | undefined).db;
  const match = /^(\d+) statements?$/.exec(db?.desc ?? "");
  if (!match) throw new Error(`No statement count in Server-Timing: ${String(db?.desc)}`);
  return Number(match[1]);
}

describe("statement budgets", () => {
  let t: TestApp;
  let agent: Agent;
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    t = await buildTestApp();
    const signedIn = await ownerSignedIn(t, "gold");
    agent = signedIn.agent;
    const { business } = signedIn;
    const models = t.deps.models;
    for (let i = 0; i < 30; i++)
      await buildCustomer(models, business, {
        name: `Customer ${String(i).padStart(2, "0")} ${i % 3 === 0 ? "Sharma" : "Verma"}`,
        phoneE164: `+9198765${String(43000 + i).padStart(5, "0")}`,
        tags: i % 2 === 0 ? ["vip", "wholesale"] : ["retail"],
      });
    await buildNotification(models, { businessId: business.id });
    await buildSegment(models, { businessId: business.id, name: "Big spenders" });
    // The first visit makes the session's CSRF token (a session write after the page); budgets
    // are about the visits after it.
    await agent.get("/businesses").expect(200);
    const first = await agent.get("/customers?size=10").expect(200);
    pages.next = linkWithRel(first.text, "next") ?? "";
  });
  afterAll(() => t.close());

  async function statements(path: string): Promise<number> {
    const res = await agent.get(path);
    expect(res.status).toBe(200);
    return statementsOf(res);
  }

  it(`the signed-in shell reads at most ${budgets.shell} statements`, async () => {
    const n = await statements("/businesses");
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(budgets.shell);
  });

  it.each([
    ["the list", "/customers"],
    ["a later page (keyset)", "next"],
    ["a surname search", "/customers?q=sharm"],
    ["a phone-digits search", "/customers?q=98765430"],
    ["a tag filter", "/customers?tags=vip"],
    ["two tags, all of them", "/customers?tags=vip,wholesale&tagMode=all"],
    ["the filter's choices, loaded when the panel opens", "/customers/filter-options"],
  ])(`%s reads at most ${budgets.list} statements`, async (_name, path) => {
    const shell = await statements("/businesses");
    const n = await statements(path === "next" ? pages.next! : path);
    // More than the shell (the page reads its own rows), within the budget.
    expect(n).toBeGreaterThan(shell);
    expect(n).toBeLessThanOrEqual(budgets.list);
  });

  it("counts what a page really reads (the list's filter choices are not on it)", async () => {
    const lazy = await statements("/customers");
    const eager = await statements("/customers?filters=1");
    expect(eager).toBe(lazy + 3);
  });
});
