import {
  buildCustomer,
  buildImport,
  buildMember,
  buildTimelineEvent,
} from "../../../test/factories";
import { buildDeal, buildDealEvent } from "../../../test/factoriesDeals";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import type { Agent } from "../../../test/support/customers";

const clock = new FakeClock("2026-12-02T06:00:00Z");
const minutesAgo = (minutes: number) => new Date(clock.nowMs() - minutes * 60_000);

/** The feed's sentences on a page, in order (tags dropped, spaces squeezed). */
function entries(html: string): string[] {
  const list = html.split('data-slot="activity"')[1]?.split("</ul>")[0] ?? "";
  return [...list.matchAll(/<span class="text-break">([\s\S]*?)<time/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

const nextLink = (html: string) =>
  /rel="next" href="([^"]+)"/
    .exec(html)?.[1]
    ?.replace(/&amp;/g, "&")
    .replace(/&#x3D;/g, "=") ?? null;

describe("activity feed", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let seller: User;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "enterprise"));
    ({ user: seller } = await buildMember(t.deps.models, business, "sales"));
    const mine = await buildCustomer(t.deps.models, business, { name: "Owner Customer" });
    const theirs = await buildCustomer(t.deps.models, business, {
      name: "Seller Customer",
      ownerId: seller.id,
    });
    await buildTimelineEvent(t.deps.models, {
      customerId: mine.id,
      kind: "created",
      actorId: owner.id,
      createdAt: minutesAgo(50),
    });
    await buildTimelineEvent(t.deps.models, {
      customerId: theirs.id,
      kind: "created",
      actorId: seller.id,
      createdAt: minutesAgo(40),
    });
    // An import's per-row events stay out of the feed; the import is one entry.
    await buildTimelineEvent(t.deps.models, {
      customerId: mine.id,
      kind: "imported",
      createdAt: minutesAgo(30),
    });
    await buildImport(t.deps.models, {
      businessId: business.id,
      userId: owner.id,
      fileName: "customers.xlsx",
      status: "completed",
      createdCount: 9812,
      finishedAt: minutesAgo(20),
    });
    const deal = await buildDeal(t.deps.models, business, { title: "Big contract" });
    for (let i = 0; i < 31; i++)
      await buildDealEvent(t.deps.models, deal, {
        kind: "stage_changed",
        actorId: owner.id,
        createdAt: minutesAgo(10 - i / 10),
      });
    await buildDealEvent(t.deps.models, deal, {
      kind: "created",
      actorId: owner.id,
      createdAt: minutesAgo(60 * 24 * 3),
    });
  });
  afterAll(() => t.close());

  it("lists what happened, newest first, as sentences, paged by keyset", async () => {
    const first = await agent.get("/activity").expect(200);
    const page1 = entries(first.text);
    expect(page1).toHaveLength(30);
    expect(page1[0]).toBe("Owner Person moved the deal Big contract");
    const older = nextLink(first.text)!;
    expect(older).toMatch(/^\/activity\?after=/);
    const second = await agent.get(older).expect(200);
    expect(entries(second.text)).toEqual([
      "Owner Person moved the deal Big contract",
      "Import of customers.xlsx finished: 9,812 added, 0 updated",
      "sales member added the customer Seller Customer",
      "Owner Person added the customer Owner Customer",
      "Owner Person added the deal Big contract",
    ]);
    expect(nextLink(second.text)).toBeNull();
  });

  it("filters by kind, member and dates", async () => {
    const customers = await agent.get("/activity?kind=customer").expect(200);
    expect(entries(customers.text)).toEqual([
      "sales member added the customer Seller Customer",
      "Owner Person added the customer Owner Customer",
    ]);
    const bySeller = await agent.get(`/activity?memberId=${seller.id}`).expect(200);
    expect(entries(bySeller.text)).toEqual(["sales member added the customer Seller Customer"]);
    const earlier = await agent.get("/activity?kind=deal&to=2026-11-30").expect(200);
    expect(entries(earlier.text)).toEqual(["Owner Person added the deal Big contract"]);
    const none = await agent.get("/activity?from=2026-12-03").expect(200);
    expect(none.text).toContain("Nothing matches these filters.");
  });

  it("refuses bad filters with a clear message (422)", async () => {
    const res = await agent.get("/activity?from=2026-13-01&kind=planets").expect(422);
    expect(res.text).toContain("Enter the from date as YYYY-MM-DD.");
    const backwards = await agent.get("/activity?from=2026-12-02&to=2026-12-01").expect(422);
    expect(backwards.text).toContain("The from date must be on or before the to date.");
  });

  it("shows a sales member what happened to their own records only", async () => {
    const sales = await signedIn(t, seller.email);
    const res = await sales.get("/activity").expect(200);
    expect(entries(res.text)).toEqual(["sales member added the customer Seller Customer"]);
    // A kind outside the role reads as nothing, not as an error.
    const tickets = await sales.get("/activity?kind=ticket").expect(200);
    expect(entries(tickets.text)).toEqual([]);
    expect(res.text).not.toContain('<option value="ticket"');
  });
});
