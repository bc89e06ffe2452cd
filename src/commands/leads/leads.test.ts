import { testQueue } from "../../../test/support/app";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { buildWebhookEndpoint } from "../../../test/factoriesWebhooks";
import { failure } from "../../../test/support/errors";
import type { JobQueue } from "../../jobs/queue";
import { fieldErrors } from "../../lib/forms";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { temperatureOf } from "../../models/Lead";
import type { Deps } from "../../deps";
import { leadPatchSchema, newLeadSchema } from "./input";
import { leadBoard, listLeadRows, listLeads, loadLead } from "./list";
import { createLead, deleteLead, updateLead } from "./writes";

const db = useTestDatabase();

describe("lead commands", () => {
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  const parseNew = (body: Record<string, unknown>) => newLeadSchema("IN", true).parse(body);
  const events = (leadId: number) =>
    db.current.models.LeadEvent.findAll({ where: { leadId }, order: [["id", "ASC"]] }).then(
      (rows) => rows.map((e) => ({ kind: e.kind, details: JSON.parse(e.details ?? "null") })),
    );

  beforeAll(async () => {
    queue = testQueue(clock);
    deps = testDeps(db.current, { queue, clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner, name: "Lead Traders" }));
  });
  afterAll(() => queue.close());

  it("creates a lead with every field, owned by its creator, on its timeline and as lead.created", async () => {
    await buildWebhookEndpoint(db.current.models, business, { events: ["lead.created"] });
    const ctx = await contextFor(db.current, business, owner);
    const lead = await createLead(
      deps,
      ctx,
      parseNew({
        firstName: "Rahul",
        lastName: "Goyal",
        company: "RetailWorks",
        email: "Rahul@RetailWorks.in",
        phone: "98110 22345",
        source: "Referral",
        campaignName: "Festive Cashback Promo",
        stage: "qualified",
        score: 72,
        bantBudget: true,
        interestedProducts: ["POS", "Loyalty", "POS"],
        consentEmail: true,
        nextAction: "Call back",
        nextActionOn: "2026-12-03",
        utmSource: "newsletter",
      }),
    );
    expect(lead).toMatchObject({
      email: "rahul@retailworks.in",
      phoneE164: "+919811022345",
      stage: "qualified",
      score: 72,
      ownerId: owner.id,
      bantBudget: true,
      bantNeed: false,
      interestedProducts: '["POS","Loyalty"]',
      nextActionOn: "2026-12-03",
      utmSource: "newsletter",
    });
    expect(lead.consentEmailAt?.toISOString()).toBe("2026-12-01T04:00:00.000Z");
    expect(lead.consentWhatsappAt).toBeNull();
    expect(await events(lead.id)).toEqual([{ kind: "created", details: { stage: "qualified" } }]);
    const [event] = await db.current.models.WebhookEvent.findAll({
      where: { businessId: business.id },
    });
    const body = JSON.parse(event!.body) as { type: string; data: Record<string, unknown> };
    expect(body.type).toBe("lead.created");
    expect(body.data).toMatchObject({
      id: lead.id,
      temperature: "hot",
      phone: "+919811022345",
      owner: { id: owner.id, name: owner.name },
      consentEmail: true,
    });
  });

  it("derives temperature: Hot above 70, Warm 40 to 70, Cold below 40", () => {
    expect([100, 71, 70, 40, 39, 0].map(temperatureOf)).toEqual([
      "hot",
      "hot",
      "warm",
      "warm",
      "cold",
      "cold",
    ]);
  });

  it("reports every field's problem at once (422) and writes nothing", async () => {
    const result = newLeadSchema("IN", true).safeParse({
      email: "not-an-email",
      phone: "12",
      // Not a stage code at all (codes are checked against the business's stages by the routes).
      stage: "Won!",
      score: 101,
      nextActionOn: "2026-13-01",
    });
    expect(result.success).toBe(false);
    expect(Object.keys(fieldErrors(result.error!)).sort()).toEqual([
      "email",
      "firstName",
      "nextActionOn",
      "phone",
      "score",
      "stage",
    ]);
    expect(leadPatchSchema("IN").safeParse({}).success).toBe(false);
    expect(leadPatchSchema("IN").safeParse({ unknown: 1 }).success).toBe(false);
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const error = await failure(createLead(deps, ctx, {}));
    expect(error.id).toBe("validation_failed");
    expect(await db.current.models.Lead.count({ where: { businessId: shop.id } })).toBe(0);
  });

  it("refuses a duplicate phone or e-mail (409) without naming a colleague's lead to sales", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const { user: seller } = await buildMember(db.current.models, shop, "sales");
    const existing = await buildLead(db.current.models, shop, {
      firstName: "Priya",
      lastName: "Menon",
      email: "priya@finedge.co",
      phoneE164: "+919822077551",
    });
    const ownerCtx = await contextFor(db.current, shop, shopOwner);
    const byPhone = await failure(
      createLead(deps, ownerCtx, parseNew({ firstName: "P", phone: "+91 98220 77551" })),
    );
    expect(byPhone.id).toBe("conflict");
    expect(byPhone.message).toContain("Priya Menon");
    expect(byPhone.details).toMatchObject({ field: "phone", leadId: existing.id });

    const salesCtx = await contextFor(db.current, shop, seller);
    const byEmail = await failure(
      createLead(deps, salesCtx, parseNew({ firstName: "P", email: "PRIYA@finedge.co" })),
    );
    expect(byEmail.id).toBe("conflict");
    expect(byEmail.message).not.toContain("Priya");
    expect(byEmail.details).toEqual({ field: "email" });

    // Editing into a colleague's number is refused the same way; the lead keeps its own.
    const mine = await buildLead(db.current.models, shop, { ownerId: seller.id });
    const loaded = await loadLead(deps, salesCtx, mine.id);
    const edit = await failure(updateLead(deps, salesCtx, loaded, { phoneE164: "+919822077551" }));
    expect(edit.details).toEqual({ field: "phone" });
    await mine.reload();
    expect(mine.phoneE164).not.toBe("+919822077551");
    expect(await db.current.models.Lead.count({ where: { businessId: shop.id } })).toBe(2);
  });

  it("lets sales see and change only their own leads, and hand none to others", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const { user: seller } = await buildMember(db.current.models, shop, "sales");
    const { user: manager } = await buildMember(db.current.models, shop, "manager");
    const theirs = await buildLead(db.current.models, shop, { ownerId: shopOwner.id });
    const salesCtx = await contextFor(db.current, shop, seller);
    const mine = await createLead(deps, salesCtx, { firstName: "Sneha" });
    expect(mine.ownerId).toBe(seller.id);
    expect((await listLeads(deps, salesCtx, {}, { limit: 25 })).map((l) => l.id)).toEqual([
      mine.id,
    ]);
    expect((await failure(loadLead(deps, salesCtx, theirs.id))).id).toBe("not_found");
    const board = await leadBoard(deps, salesCtx, {}, ["new"]);
    expect(board[0]?.total).toBe(1);
    const refused = await failure(updateLead(deps, salesCtx, mine, { ownerId: manager.id }));
    expect(refused.id).toBe("forbidden");
    expect(
      await failure(createLead(deps, salesCtx, { firstName: "X", ownerId: manager.id })),
    ).toMatchObject({ id: "forbidden" });

    // A manager hands it over (to a member only); it leaves the seller's scope.
    const managerCtx = await contextFor(db.current, shop, manager);
    const outsider = await buildUser(db.current.models);
    expect((await failure(updateLead(deps, managerCtx, mine, { ownerId: outsider.id }))).id).toBe(
      "validation_failed",
    );
    await updateLead(deps, managerCtx, mine, {
      ownerId: shopOwner.id,
      stage: "contacted",
      score: 55,
    });
    expect(await events(mine.id)).toEqual([
      { kind: "created", details: { stage: "new" } },
      { kind: "stage_changed", details: { from: "new", to: "contacted" } },
      { kind: "owner_changed", details: { from: seller.id, to: shopOwner.id } },
      { kind: "updated", details: { changes: { score: ["0", "55"] } } },
    ]);
    expect(await listLeads(deps, salesCtx, {}, { limit: 25 })).toEqual([]);
  });

  it("filters by stage, temperature, owner, source and search, paged by id", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const a = await buildLead(db.current.models, shop, {
      firstName: "Aarav",
      score: 45,
      source: "Website",
      stage: "contacted",
      email: "aarav@techverse.in",
    });
    const b = await buildLead(db.current.models, shop, {
      firstName: "Mohan",
      company: "BuildSmart",
      score: 80,
      source: "Event",
      ownerId: null,
      phoneE164: "+919703044221",
    });
    const c = await buildLead(db.current.models, shop, {
      firstName: "Priya",
      score: 20,
      source: "Webinar",
    });
    const ids = async (filter: Parameters<typeof listLeads>[2]) =>
      (await listLeads(deps, ctx, filter, { limit: 25 })).map((l) => l.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ stage: "contacted" })).toEqual([a.id]);
    expect(await ids({ temperature: "hot" })).toEqual([b.id]);
    expect(await ids({ temperature: "warm" })).toEqual([a.id]);
    expect(await ids({ temperature: "cold" })).toEqual([c.id]);
    expect(await ids({ ownerId: "none" })).toEqual([b.id]);
    expect(await ids({ source: "Webinar" })).toEqual([c.id]);
    expect(await ids({ q: "build" })).toEqual([b.id]);
    expect(await ids({ q: "AARAV@tech" })).toEqual([a.id]);
    expect(await ids({ q: "97030 44221" })).toEqual([b.id]);
    const page = await listLeads(deps, ctx, {}, { limit: 1, beforeId: c.id });
    expect(page.map((l) => l.id)).toEqual([b.id, a.id]);
  });

  it("lists rows newest first with their owners' names, a former member's too", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models, {
      owner: await buildUser(db.current.models, { name: "Shop Owner" }),
    });
    const ctx = await contextFor(db.current, shop, shopOwner);
    const member = await buildUser(db.current.models, { name: "Asha Member" });
    await buildMember(db.current.models, shop, "sales", member);
    // Owns a lead without being on the team (left it): the name is read for the row.
    const former = await buildUser(db.current.models, { name: "Farid Former" });
    const leads = [];
    for (const ownerId of [shopOwner.id, member.id, former.id, null])
      leads.push(await buildLead(db.current.models, shop, { ownerId }));
    const rows = await listLeadRows(deps, ctx, {}, { limit: 10 });
    expect(rows.map((r) => [r.id, r.owner?.name ?? null])).toEqual([
      [leads[3]!.id, null],
      [leads[2]!.id, "Farid Former"],
      [leads[1]!.id, "Asha Member"],
      [leads[0]!.id, "Shop Owner"],
    ]);
  });

  it("keeps businesses apart: another business's lead is not found, listed or duplicated", async () => {
    const { business: other, owner: otherOwner } = await buildBusiness(db.current.models);
    const foreign = await buildLead(db.current.models, other, { email: "same@example.test" });
    const ctx = await contextFor(db.current, business, owner);
    expect((await failure(loadLead(deps, ctx, foreign.id))).id).toBe("not_found");
    expect((await listLeads(deps, ctx, {}, { limit: 100 })).map((l) => l.id)).not.toContain(
      foreign.id,
    );
    // The same e-mail in another business is no duplicate.
    const lead = await createLead(deps, ctx, { firstName: "Same", email: "same@example.test" });
    expect(lead.businessId).toBe(business.id);
    const otherCtx = await contextFor(db.current, other, otherOwner);
    expect((await failure(loadLead(deps, otherCtx, lead.id))).id).toBe("not_found");
  });

  it("deletes a lead with its timeline; nothing changes when nothing was changed", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const lead = await createLead(deps, ctx, { firstName: "Gone" });
    const before = lead.updatedAt.toISOString();
    await updateLead(deps, ctx, lead, { firstName: "Gone" });
    expect(lead.updatedAt.toISOString()).toBe(before);
    expect(await events(lead.id)).toHaveLength(1);
    await deleteLead(deps, ctx, lead);
    expect(await db.current.models.Lead.findByPk(lead.id)).toBeNull();
    expect(await events(lead.id)).toEqual([]);
  });

  it("is refused to roles without leads.manage (support)", async () => {
    const { business: shop } = await buildBusiness(db.current.models);
    const { user: helper } = await buildMember(db.current.models, shop, "support");
    const ctx = await contextFor(db.current, shop, helper);
    expect((await failure(createLead(deps, ctx, { firstName: "No" }))).id).toBe("forbidden");
    expect((await failure(listLeads(deps, ctx, {}, { limit: 5 }))).id).toBe("forbidden");
  });
});
