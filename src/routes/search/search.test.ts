import { buildCustomer, buildMember, buildTask } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildDeal } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { buildTicket } from "../../../test/factoriesTickets";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

const clock = new FakeClock("2026-12-02T06:00:00Z");

/** The results on a page: [group, title] in order. */
function results(html: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const section of html.split('data-group="').slice(1)) {
    const kind = section.slice(0, section.indexOf('"'));
    for (const m of section.matchAll(
      /data-search-result="\d+">\s*<span class="fw-semibold text-break">([^<]*)</g,
    ))
      found.push([kind, m[1]!]);
  }
  return found;
}

describe("global search", () => {
  let t: TestApp;
  let business: Business;
  let seller: User;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, agent } = await ownerSignedIn(t, "enterprise"));
    ({ user: seller } = await buildMember(t.deps.models, business, "sales"));
    await buildCustomer(t.deps.models, business, {
      name: "Priya Sharma",
      email: "priya@shop.test",
    });
    await buildCustomer(t.deps.models, business, { name: "Priya", ownerId: seller.id });
    await buildCustomer(t.deps.models, business, { name: "Ravi Kumar" });
    await buildLead(t.deps.models, business, {
      firstName: "Priyanka",
      lastName: "Rao",
      company: "Acme",
    });
    await buildLead(t.deps.models, business, { firstName: "Anil", lastName: "Priya" });
    await buildDeal(t.deps.models, business, { title: "Supply for Priya Stores" });
    await buildDeal(t.deps.models, business, { title: "Priya" });
    await buildTicket(t.deps.models, business, { subject: "Refund for Priya" });
    await buildTask(t.deps.models, business, { title: "Call Priya back" });
    await buildCampaign(t.deps.models, business, { name: "Priya Diwali mailer" });
    // Another business's Priya is never found.
    const other = await ownerSignedIn(t, "enterprise");
    await buildCustomer(t.deps.models, other.business, { name: "Priya Elsewhere" });
    await buildDeal(t.deps.models, other.business, { title: "Priya Elsewhere" });
  });
  afterAll(() => t.close());

  it("finds every kind, grouped, exact matches before starts before later words", async () => {
    const res = await agent.get("/search?q=priya").expect(200);
    expect(results(res.text)).toEqual([
      ["customer", "Priya"],
      ["customer", "Priya Sharma"],
      // A field equal to the words (the surname) ranks before one starting with them.
      ["lead", "Anil Priya"],
      ["lead", "Priyanka Rao"],
      ["deal", "Priya"],
      ["deal", "Supply for Priya Stores"],
      ["ticket", "Refund for Priya"],
      ["task", "Call Priya back"],
      ["campaign", "Priya Diwali mailer"],
    ]);
    expect(res.text).not.toContain("Priya Elsewhere");
  });

  it("matches each typed word at the start of a word, never inside one", async () => {
    const apart = await agent.get("/search?q=sto%20pri").expect(200);
    expect(results(apart.text)).toEqual([["deal", "Supply for Priya Stores"]]);
    // Mid-word pieces of "Priya", "Supply", "Refund", "Diwali" and "back" find nothing.
    for (const inside of ["riya", "upply", "efund", "iwali", "ack", "pri upp"]) {
      const res = await agent.get(`/search?q=${encodeURIComponent(inside)}`).expect(200);
      expect([inside, results(res.text)]).toEqual([inside, []]);
    }
  });

  it("needs one word of three letters that is no stopword; shorter words narrow it", async () => {
    await buildTask(t.deps.models, business, { title: "Where to ship the TV" });
    // Nothing the index could find: only customers are searched.
    for (const q of ["tv", "the", "whe", "to tv"]) {
      const res = await agent.get(`/search?q=${encodeURIComponent(q)}`).expect(200);
      expect([q, results(res.text)]).toEqual([q, []]);
    }
    const narrowed = await agent.get("/search?q=ship%20whe%20tv").expect(200);
    expect(results(narrowed.text)).toEqual([["task", "Where to ship the TV"]]);
    const wrongShort = await agent.get("/search?q=ship%20tx").expect(200);
    expect(results(wrongShort.text)).toEqual([]);
  });

  it("takes search operators as text: an e-mail finds its lead", async () => {
    await buildLead(t.deps.models, business, {
      firstName: "Zoya",
      lastName: "Khan",
      email: "zoya@kite.test",
    });
    const email = await agent.get("/search?q=zoya%40kite.test").expect(200);
    expect(results(email.text)).toEqual([["lead", "Zoya Khan"]]);
    const byDomain = await agent.get("/search?q=kite").expect(200);
    expect(results(byDomain.text)).toEqual([["lead", "Zoya Khan"]]);
    const operators = await agent.get(`/search?q=${encodeURIComponent('+zoya* -"kite" (x)')}`);
    expect(operators.status).toBe(200);
    expect(results(operators.text)).toEqual([]);
  });

  it("finds a ticket by its number and a customer by e-mail", async () => {
    const ticket = await buildTicket(t.deps.models, business, { subject: "Printer jam" });
    const reference = `TKT-${String(ticket.number).padStart(6, "0")}`;
    const byNumber = await agent.get(`/search?q=${reference}`).expect(200);
    expect(results(byNumber.text)).toContainEqual(["ticket", "Printer jam"]);
    const byEmail = await agent.get("/search?q=priya@shop.test").expect(200);
    expect(results(byEmail.text)).toEqual([["customer", "Priya Sharma"]]);
  });

  it("shows a sales member only what they may open", async () => {
    const sales = await signedIn(t, seller.email);
    const res = await sales.get("/search?q=priya").expect(200);
    // Their own customer; no leads or deals of others; no tickets (not their role).
    expect(results(res.text)).toEqual([["customer", "Priya"]]);
  });

  it("says what to try when nothing matches, and refuses bad input", async () => {
    const none = await agent.get("/search?q=zzzz%25_").expect(200);
    expect(none.text).toContain("Nothing matches");
    const long = await agent.get(`/search?q=${"a".repeat(101)}`).expect(422);
    expect(long.text).toContain("Search for at most 100 characters.");
    const blank = await agent.get("/search").expect(200);
    expect(blank.text).toContain("Type a customer");
  });

  it("shows five of a kind and links to its list for the rest", async () => {
    for (let i = 0; i < 5; i++)
      await buildLead(t.deps.models, business, {
        firstName: "Meera",
        lastName: `Priyadarshini ${i}`,
      });
    const res = await agent.get("/search?q=priya").expect(200);
    expect(results(res.text).filter(([kind]) => kind === "lead")).toHaveLength(5);
    expect(res.text.replace(/&#x3D;/g, "=")).toContain('href="/leads?q=priya"');
  });

  it("puts the search box in the top bar of every page", async () => {
    const res = await agent.get("/customers").expect(200);
    expect(res.text).toContain('id="topbar-search-q"');
    expect(res.text).toContain('src="/js/search.js"');
  });
});
