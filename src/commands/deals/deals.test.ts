import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { buildWebhookEndpoint } from "../../../test/factoriesWebhooks";
import { failure } from "../../../test/support/errors";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import type { Deps } from "../../deps";
import { presentDeal } from "../../presenters/deals";
import { createDeal, deleteDeal, loadDeal, moveDeal, updateDeal } from "./deals";
import { listDeals, stageTotals } from "./list";
import { formatMoney, parseAmount } from "./money";
import {
  addStage,
  ensureDefaultPipeline,
  moveStage,
  pipelineStages,
  removeStage,
} from "./pipelines";

const db = useTestDatabase();

describe("deal commands", () => {
  const clock = new FakeClock("2026-12-01T04:00:00Z");
  let deps: Deps;
  let business: Business;
  let owner: User;

  const timeline = (dealId: number) =>
    db.current.models.DealEvent.findAll({ where: { dealId }, order: [["id", "ASC"]] }).then(
      (rows) => rows.map((e) => ({ kind: e.kind, details: JSON.parse(e.details ?? "null") })),
    );

  beforeAll(async () => {
    deps = testDeps(db.current, { clock });
    ({ business, owner } = await buildBusiness(db.current.models, { name: "Pipeline Traders" }));
  });

  it("makes the default pipeline once, even when asked concurrently", async () => {
    const { business: shop } = await buildBusiness(db.current.models);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ensureDefaultPipeline(deps, shop.id)),
    );
    expect(new Set(results.map((p) => p.id)).size).toBe(1);
    const pipelines = await db.current.models.Pipeline.findAll({ where: { businessId: shop.id } });
    expect(pipelines.map((p) => [p.name, p.isDefault])).toEqual([["Sales", true]]);
    const stages = await pipelineStages(
      deps,
      { businessId: shop.id, ownRecordsOf: null },
      results[0]!.id,
    );
    expect(stages.map((s) => [s.name, s.position, s.kind])).toEqual([
      ["New", 0, "open"],
      ["In progress", 1, "open"],
      ["Won", 2, "won"],
      ["Lost", 3, "lost"],
    ]);
    expect((await ensureDefaultPipeline(deps, shop.id)).id).toBe(results[0]!.id);
  });

  it("creates a deal in the default pipeline's first stage with the business's currency and a timeline entry", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const customer = await buildCustomer(db.current.models, business);
    const deal = await createDeal(deps, ctx, {
      title: "Website revamp",
      customerId: customer.id,
      amountMinor: 15_000_050,
    });
    expect(deal.stage?.name).toBe("New");
    expect(deal.currency).toBe("INR");
    expect(deal.ownerId).toBe(owner.id);
    expect(deal.lastActivityAt.toISOString()).toBe("2026-12-01T04:00:00.000Z");
    expect(await timeline(deal.id)).toEqual([
      {
        kind: "created",
        details: { stage: "New", amountMinor: 15_000_050, currency: "INR", ownerId: owner.id },
      },
    ]);
    expect(formatMoney(deal.amountMinor, deal.currency)).toBe("₹1,50,000.50");
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const { business: other } = await buildBusiness(db.current.models);
    const foreign = await buildCustomer(db.current.models, other);
    const before = await db.current.models.Deal.count({ where: { businessId: business.id } });
    const e1 = await failure(createDeal(deps, ctx, { title: "X", customerId: foreign.id }));
    expect(e1.status).toBe(422);
    expect(e1.details).toEqual({ fields: { customerId: expect.any(String) } });
    const e2 = await failure(createDeal(deps, ctx, { title: "X", currency: "XYZ" }));
    expect(e2.details).toEqual({ fields: { currency: expect.any(String) } });
    const { stages: otherStages } = await buildPipeline(db.current.models, other);
    const e3 = await failure(createDeal(deps, ctx, { title: "X", stageId: otherStages[0]!.id }));
    expect(e3.details).toEqual({ fields: { stageId: expect.any(String) } });
    expect(await db.current.models.Deal.count({ where: { businessId: business.id } })).toBe(before);
    expect(parseAmount("1,50,000.50", "INR")).toBe(15_000_050);
    expect(parseAmount("1.505", "INR")).toBeNull();
    expect(parseAmount("-5", "INR")).toBeNull();
    expect(parseAmount("100", "JPY")).toBe(100);
  });

  it("records stage, amount and owner changes on the timeline and closes won deals", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const manager = (await buildMember(db.current.models, business, "manager")).user;
    const { stages } = await buildPipeline(db.current.models, business);
    const won = stages.find((s) => s.kind === "won")!;
    const deal = await createDeal(deps, ctx, { title: "Fleet tracking", amountMinor: 100_00 });
    clock.advance(60_000);
    const moved = await moveDeal(deps, ctx, deal, won.id, "Best price");
    expect(moved.closedAt?.toISOString()).toBe(clock.now().toISOString());
    expect(moved.reason).toBe("Best price");
    const changed = await updateDeal(deps, ctx, moved, {
      amountMinor: 250_00,
      ownerId: manager.id,
      title: "Fleet tracking (2 years)",
    });
    expect(changed.owner?.name).toBe(manager.name);
    // Back to an open stage: reopened, the reason cleared.
    const reopened = await moveDeal(deps, ctx, changed, stages[1]!.id);
    expect(reopened.closedAt).toBeNull();
    expect(reopened.reason).toBeNull();
    expect((await timeline(deal.id)).map((e) => e.kind)).toEqual([
      "created",
      "stage_changed",
      "amount_changed",
      "owner_changed",
      "updated",
      "stage_changed",
    ]);
    expect((await timeline(deal.id))[1]!.details).toEqual({
      from: "New",
      to: "Won",
      reason: "Best price",
    });
    // Nothing changed: nothing written.
    const count = (await timeline(deal.id)).length;
    await updateDeal(deps, ctx, reopened, { title: reopened.title });
    expect(await timeline(deal.id)).toHaveLength(count);
  });

  it("sums amounts per stage and currency, and counts deals", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const { pipeline, stages } = await buildPipeline(db.current.models, shop);
    await buildDeal(db.current.models, shop, { amountMinor: 100 });
    await buildDeal(db.current.models, shop, { amountMinor: 250 });
    await buildDeal(db.current.models, shop, { amountMinor: 700, currency: "USD" });
    await buildDeal(db.current.models, shop, { amountMinor: 5, stageId: stages[2]!.id });
    const totals = await stageTotals(deps, ctx, pipeline.id);
    expect(totals.get(stages[0]!.id)).toEqual({
      stageId: stages[0]!.id,
      count: 3,
      amounts: [
        { currency: "INR", amountMinor: 350 },
        { currency: "USD", amountMinor: 700 },
      ],
    });
    expect(totals.get(stages[2]!.id)?.count).toBe(1);
    expect(totals.get(stages[1]!.id)).toBeUndefined();
  });

  it("flags open deals stale after DEALS_STALE_DAYS without activity", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const staleClock = new FakeClock("2026-12-01T00:00:00Z");
    const staleDeps = testDeps(db.current, { clock: staleClock });
    const deal = await createDeal(staleDeps, ctx, { title: "Quiet one" });
    const { stages } = await buildPipeline(db.current.models, shop);
    const closed = await createDeal(staleDeps, ctx, { title: "Won one", stageId: stages[2]!.id });
    const days = staleDeps.config.DEALS_STALE_DAYS;
    expect(days).toBe(14);
    staleClock.advance((days * 86_400 - 1) * 1000);
    expect(presentDeal(deal, staleClock.now(), days).stale).toBe(false);
    expect(await listDeals(staleDeps, ctx, { stale: true }, { limit: 10 })).toEqual([]);
    staleClock.advance(1000);
    expect(presentDeal(deal, staleClock.now(), days).stale).toBe(true);
    expect(presentDeal(closed, staleClock.now(), days).stale).toBe(false);
    const stale = await listDeals(staleDeps, ctx, { stale: true }, { limit: 10 });
    expect(stale.map((d) => d.id)).toEqual([deal.id]);
    // Activity (an amount change) makes it fresh again.
    const touched = await updateDeal(staleDeps, ctx, deal, { amountMinor: 1 });
    expect(presentDeal(touched, staleClock.now(), days).stale).toBe(false);
  });

  it("lets sales see and change only their own deals, and not give them away", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const seller = (await buildMember(db.current.models, shop, "sales")).user;
    const colleague = (await buildMember(db.current.models, shop, "sales")).user;
    const sales = await contextFor(db.current, shop, seller);
    const mine = await createDeal(deps, sales, { title: "Mine" });
    expect(mine.ownerId).toBe(seller.id);
    const theirs = await buildDeal(db.current.models, shop, { ownerId: shopOwner.id });
    expect((await listDeals(deps, sales, {}, { limit: 10 })).map((d) => d.id)).toEqual([mine.id]);
    expect((await failure(loadDeal(deps, sales, theirs.id))).status).toBe(404);
    expect((await failure(updateDeal(deps, sales, mine, { ownerId: colleague.id }))).status).toBe(
      403,
    );
    const support = await contextFor(
      db.current,
      shop,
      (await buildMember(db.current.models, shop, "support")).user,
    );
    expect((await failure(createDeal(deps, support, { title: "No" }))).status).toBe(403);
  });

  it("keeps businesses apart", async () => {
    const { business: other, owner: otherOwner } = await buildBusiness(db.current.models);
    const foreign = await buildDeal(db.current.models, other);
    const ctx = await contextFor(db.current, business, owner);
    expect((await failure(loadDeal(deps, ctx, foreign.id))).status).toBe(404);
    const otherCtx = await contextFor(db.current, other, otherOwner);
    const ids = (await listDeals(deps, otherCtx, {}, { limit: 50 })).map((d) => d.businessId);
    expect(new Set(ids)).toEqual(new Set([other.id]));
  });

  it("adds, reorders and removes stages; a stage with deals needs a stage to move them to", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(db.current.models);
    const ctx = await contextFor(db.current, shop, shopOwner);
    const { pipeline, stages } = await buildPipeline(db.current.models, shop);
    const demo = await addStage(deps, ctx, pipeline, {
      name: "Demo",
      probability: 60,
      kind: "open",
    });
    expect(demo.position).toBe(4);
    const taken = await failure(
      addStage(deps, ctx, pipeline, { name: "Demo", probability: 1, kind: "open" }),
    );
    expect(taken.details).toEqual({ fields: { name: expect.any(String) } });
    await moveStage(deps, ctx, demo, "up");
    await moveStage(deps, ctx, demo, "up");
    const names = async () =>
      (await pipelineStages(deps, ctx, pipeline.id)).map((s) => `${s.position}:${s.name}`);
    expect(await names()).toEqual(["0:New", "1:In progress", "2:Demo", "3:Won", "4:Lost"]);
    const deal = await buildDeal(db.current.models, shop, { stageId: demo.id });
    const refused = await failure(removeStage(deps, ctx, demo));
    expect(refused.details).toEqual({ fields: { moveToStageId: expect.any(String) } });
    expect(await removeStage(deps, ctx, demo, stages[1]!.id)).toEqual({ moved: 1 });
    expect((await db.current.models.Deal.findByPk(deal.id))?.stageId).toBe(stages[1]!.id);
    expect(await names()).toEqual(["0:New", "1:In progress", "2:Won", "3:Lost"]);
    const sales = await contextFor(
      db.current,
      shop,
      (await buildMember(db.current.models, shop, "sales")).user,
    );
    expect(
      (await failure(addStage(deps, sales, pipeline, { name: "X", probability: 1, kind: "open" })))
        .status,
    ).toBe(403);
  });

  it("publishes deal.stage_changed in the move's transaction, and deletes deals", async () => {
    const shopOwner = await buildUser(db.current.models, { planCode: "enterprise" });
    const { business: shop } = await buildBusiness(db.current.models, { owner: shopOwner });
    await buildWebhookEndpoint(db.current.models, shop, { events: ["deal.stage_changed"] });
    const ctx = await contextFor(db.current, shop, shopOwner);
    const deal = await createDeal(deps, ctx, { title: "Hooked", amountMinor: 10 });
    const { stages } = await buildPipeline(db.current.models, shop);
    await updateDeal(deps, ctx, deal, { title: "Hooked again" });
    expect(await db.current.models.WebhookEvent.count({ where: { businessId: shop.id } })).toBe(0);
    await moveDeal(deps, ctx, deal, stages[3]!.id, "Went with a rival");
    const events = await db.current.models.WebhookEvent.findAll({ where: { businessId: shop.id } });
    expect(events.map((e) => e.type)).toEqual(["deal.stage_changed"]);
    const payload = JSON.parse(events[0]!.body) as { data: Record<string, unknown> };
    expect(payload.data).toMatchObject({
      id: deal.id,
      stage: { name: "Lost", kind: "lost" },
      previousStage: { name: "New" },
      reason: "Went with a rival",
    });
    await deleteDeal(deps, ctx, await loadDeal(deps, ctx, deal.id));
    expect(await db.current.models.Deal.count({ where: { id: deal.id } })).toBe(0);
    expect(await db.current.models.DealEvent.count({ where: { dealId: deal.id } })).toBe(0);
  });
});
