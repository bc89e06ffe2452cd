import { testQueue } from "../../../test/support/app";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { buildWebhookEndpoint } from "../../../test/factoriesWebhooks";
import { failure } from "../../../test/support/errors";
import type { Deps } from "../../deps";
import type { JobQueue } from "../../jobs/queue";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { convertLead, conversionMessages } from "./convert";

const db = useTestDatabase();

describe("lead conversion", () => {
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    queue = testQueue(clock);
    deps = testDeps(db.current, { queue, clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner, name: "Convert Traders" }));
  });
  afterAll(() => queue.close());

  const leadEvents = (leadId: number) =>
    db.current.models.LeadEvent.findAll({ where: { leadId }, order: [["id", "ASC"]] });

  it("creates the customer and the deal in one go, links all three and records it everywhere", async () => {
    await buildWebhookEndpoint(db.current.models, business, { events: ["lead.converted"] });
    const ctx = await contextFor(db.current, business, owner);
    const lead = await buildLead(db.current.models, business, {
      firstName: "Rahul",
      lastName: "Goyal",
      email: "rahul@retailworks.test",
      phoneE164: "+919811022345",
      stage: "qualified",
    });
    const { customer, deal, matched } = await convertLead(deps, ctx, lead, {
      title: "RetailWorks rollout",
      amountMinor: 4_500_000,
    });
    expect(matched).toBe(false);
    expect(customer).toMatchObject({
      name: "Rahul Goyal",
      phoneE164: "+919811022345",
      email: "rahul@retailworks.test",
      ownerId: owner.id,
    });
    expect(deal).toMatchObject({
      title: "RetailWorks rollout",
      amountMinor: 4_500_000,
      currency: "INR",
      customerId: customer.id,
      leadId: lead.id,
    });
    const stored = await db.current.models.Lead.findByPk(lead.id);
    expect(stored).toMatchObject({ stage: "converted", customerId: customer.id, dealId: deal.id });
    expect((await leadEvents(lead.id)).map((e) => e.kind)).toEqual(["stage_changed", "converted"]);
    const timeline = await db.current.models.TimelineEvent.findAll({
      where: { customerId: customer.id },
      order: [["id", "ASC"]],
    });
    expect(timeline.map((e) => e.kind)).toEqual(["created", "converted_from_lead"]);
    const published = await db.current.models.WebhookEvent.findAll({
      where: { businessId: business.id, type: "lead.converted" },
    });
    expect(published).toHaveLength(1);
    expect(JSON.parse(published[0]!.body)).toMatchObject({
      data: { customerId: customer.id, dealId: deal.id, matched: false, lead: { id: lead.id } },
    });
  });

  it("matches an existing customer by phone, else by e-mail, instead of creating one", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const byPhone = await buildCustomer(db.current.models, business, {
      name: "Priya M",
      phoneE164: "+919822077551",
    });
    const lead = await buildLead(db.current.models, business, { phoneE164: "+919822077551" });
    const count = await db.current.models.Customer.count({ where: { businessId: business.id } });
    const first = await convertLead(deps, ctx, lead, { title: "Webinar seats", amountMinor: 0 });
    expect(first).toMatchObject({ matched: true, customer: { id: byPhone.id } });

    const byEmail = await buildCustomer(db.current.models, business, {
      name: "Mohan Rao",
      email: "mohan.rao@buildsmart.test",
    });
    const noPhone = await buildLead(db.current.models, business, {
      phoneE164: null,
      email: "mohan.rao@buildsmart.test",
    });
    const second = await convertLead(deps, ctx, noPhone, { title: "Site visit", amountMinor: 1 });
    expect(second).toMatchObject({ matched: true, customer: { id: byEmail.id } });
    expect(await db.current.models.Customer.count({ where: { businessId: business.id } })).toBe(
      count + 1,
    );
  });

  it("refuses a second conversion with a clear conflict, and changes nothing", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const lead = await buildLead(db.current.models, business);
    await convertLead(deps, ctx, lead, { title: "First", amountMinor: 100 });
    const deals = await db.current.models.Deal.count({ where: { businessId: business.id } });
    const again = await failure(convertLead(deps, ctx, lead, { title: "Again", amountMinor: 100 }));
    expect(again).toMatchObject({ id: "conflict", message: conversionMessages.already });
    // A stale copy (loaded before the first conversion) is refused by the claim in the transaction.
    const stale = await db.current.models.Lead.findByPk(lead.id);
    stale!.set({ stage: "qualified", dealId: null, customerId: null });
    const raced = await failure(convertLead(deps, ctx, stale!, { title: "Race", amountMinor: 1 }));
    expect(raced).toMatchObject({ id: "conflict" });
    expect(await db.current.models.Deal.count({ where: { businessId: business.id } })).toBe(deals);
  });

  it("rolls everything back when the deal cannot be written", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const lead = await buildLead(db.current.models, business, { stage: "contacted" });
    const customers = await db.current.models.Customer.count({
      where: { businessId: business.id },
    });
    const { Deal } = db.current.models;
    // A real failure inside the transaction, after the lead was claimed and the customer written.
    Deal.addHook("beforeCreate", "failConversion", () => {
      throw new Error("disk full");
    });
    try {
      await expect(
        convertLead(deps, ctx, lead, { title: "Doomed", amountMinor: 5 }),
      ).rejects.toThrow("disk full");
    } finally {
      Deal.removeHook("beforeCreate", "failConversion");
    }
    const stored = await db.current.models.Lead.findByPk(lead.id);
    expect(stored).toMatchObject({ stage: "contacted", customerId: null, dealId: null });
    expect(await db.current.models.Customer.count({ where: { businessId: business.id } })).toBe(
      customers,
    );
    expect(await leadEvents(lead.id)).toHaveLength(0);
    // And it converts once the problem is gone.
    await expect(
      convertLead(deps, ctx, stored!, { title: "Second try", amountMinor: 5 }),
    ).resolves.toMatchObject({ matched: false });
  });

  it("asks for a phone when nothing matches, and leaves marketing (no deals) out", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const lead = await buildLead(db.current.models, business, {
      phoneE164: null,
      email: "nobody-matches@example.test",
    });
    const error = await failure(convertLead(deps, ctx, lead, { title: "X", amountMinor: 1 }));
    expect(error.details).toEqual({ fields: { phone: conversionMessages.noPhone } });
    const { user } = await buildMember(db.current.models, business, "marketing");
    const marketing = await contextFor(db.current, business, user);
    const denied = await failure(
      convertLead(deps, marketing, lead, { title: "X", amountMinor: 1 }),
    );
    expect(denied.id).toBe("forbidden");
    expect((await db.current.models.Lead.findByPk(lead.id))?.stage).toBe("new");
  });
});
