import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("deal pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  const dealsOf = (businessId: number) =>
    t.deps.models.Deal.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "gold"));
  });
  afterAll(() => t.close());

  it("says what to do on an empty board and list, and shows Deals in the menu", async () => {
    const board = await agent.get("/deals").expect(200);
    expect(board.text).toContain('href="/deals"');
    expect(board.text).toContain("No deals yet. Add a deal for each sale");
    for (const stage of ["New", "In progress", "Won", "Lost"]) expect(board.text).toContain(stage);
    const list = await agent.get("/deals/list").expect(200);
    expect(list.text).toContain("No deals yet.");
  });

  it("creates a deal from the form, keeps values and shows each field's error when refused", async () => {
    const customer = await buildCustomer(t.deps.models, business, { name: "Meera Iyer" });
    const form = await agent.get("/deals/new").expect(200);
    const refused = await agent
      .post("/deals")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "",
        amount: "12.345",
        currency: "INR",
        expectedCloseOn: "2026-13-40",
        customerId: String(customer.id),
      })
      .expect(422);
    expect(refused.text).toContain("Enter a title");
    expect(refused.text).toContain("Enter a date as YYYY-MM-DD");
    expect(refused.text).toContain('value="12.345"');
    expect(await dealsOf(business.id)).toHaveLength(0);
    const badAmount = await agent
      .post("/deals")
      .type("form")
      .send({ _csrf: csrfFrom(form), title: "Website revamp", amount: "12.345", currency: "INR" })
      .expect(422);
    expect(badAmount.text).toContain("Enter an amount such as 150000");
    expect(badAmount.text).toContain('value="Website revamp"');

    const res = await agent
      .post("/deals")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "Website revamp",
        amount: "1,50,000.50",
        currency: "INR",
        expectedCloseOn: "2026-12-31",
        customerId: String(customer.id),
        ownerId: String(owner.id),
      })
      .expect(302);
    const [deal] = await dealsOf(business.id);
    expect(deal).toMatchObject({
      title: "Website revamp",
      amountMinor: 15_000_050,
      currency: "INR",
    });
    expect(res.headers.location).toBe(`/deals/${deal!.id}`);
    const page = await agent.get(`/deals/${deal!.id}`).expect(200);
    expect(page.text).toContain("₹1,50,000.50");
    expect(page.text).toContain("Meera Iyer");
    expect(page.text).toContain("created the deal in New");
    const board = await agent.get("/deals").expect(200);
    expect(board.text).toContain("Website revamp");
    expect(board.text).toContain("₹1,50,000.50 · 10%");
  });

  it("moves a deal from the board with a form (no script) and records it on the timeline", async () => {
    const { stages } = await buildPipeline(t.deps.models, business);
    const deal = await buildDeal(t.deps.models, business, { title: "Board mover" });
    const board = await agent.get("/deals").expect(200);
    const res = await agent
      .post(`/deals/${deal.id}/stage`)
      .type("form")
      .send({ _csrf: csrfFrom(board), stageId: String(stages[2]!.id), from: "board" })
      .expect(302);
    expect(res.headers.location).toBe(`/deals?pipelineId=${deal.pipelineId}`);
    expect((await deal.reload()).stageId).toBe(stages[2]!.id);
    const page = await agent.get(`/deals/${deal.id}`).expect(200);
    expect(page.text).toContain("moved it from New to Won");
  });

  it("edits and deletes a deal after a confirmation page", async () => {
    const deal = await buildDeal(t.deps.models, business, { title: "To edit" });
    const edit = await agent.get(`/deals/${deal.id}/edit`).expect(200);
    expect(edit.text).toContain('value="150000.00"');
    await agent
      .post(`/deals/${deal.id}`)
      .type("form")
      .send({ _csrf: csrfFrom(edit), title: "Edited", amount: "200000", currency: "INR" })
      .expect(302);
    expect(await deal.reload()).toMatchObject({ title: "Edited", amountMinor: 20_000_000 });
    const confirm = await agent.get(`/deals/${deal.id}/delete`).expect(200);
    expect(confirm.text).toContain("cannot be undone");
    await agent
      .post(`/deals/${deal.id}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) })
      .expect(302);
    expect(await t.deps.models.Deal.findByPk(deal.id)).toBeNull();
  });

  it("filters the list by stage, owner and stale", async () => {
    const { business: shop, owner: shopOwner, agent: shopAgent } = await ownerSignedIn(t, "gold");
    const { stages } = await buildPipeline(t.deps.models, shop);
    await buildDeal(t.deps.models, shop, { title: "Fresh deal", lastActivityAt: clock.now() });
    await buildDeal(t.deps.models, shop, {
      title: "Quiet deal",
      lastActivityAt: new Date(clock.nowMs() - 30 * 86_400_000),
    });
    await buildDeal(t.deps.models, shop, {
      title: "Won deal",
      stageId: stages[2]!.id,
      ownerId: null,
    });
    const stale = await shopAgent.get("/deals/list?stale=true").expect(200);
    expect(stale.text).toContain("Quiet deal");
    expect(stale.text).not.toContain("Fresh deal");
    const won = await shopAgent.get(`/deals/list?stageId=${stages[2]!.id}`).expect(200);
    expect(won.text).toContain("Won deal");
    expect(won.text).not.toContain("Quiet deal");
    const nobody = await shopAgent.get("/deals/list?ownerId=none").expect(200);
    expect(nobody.text).toContain("Won deal");
    expect(nobody.text).not.toContain("Fresh deal");
    const mine = await shopAgent.get(`/deals/list?ownerId=${shopOwner.id}`).expect(200);
    expect(mine.text).toContain("Fresh deal");
    const bad = await shopAgent.get("/deals/list?ownerId=abc").expect(422);
    expect(bad.text).toContain("These filters could not be used");
  });

  it("manages stages: add, rename, reorder, remove after asking where the deals go", async () => {
    const { pipeline, stages } = await buildPipeline(t.deps.models, business);
    const settings = await agent.get(`/deals/pipelines/${pipeline.id}`).expect(200);
    const csrf = csrfFrom(settings);
    await agent
      .post(`/deals/pipelines/${pipeline.id}/stages`)
      .type("form")
      .send({ _csrf: csrf, name: "Demo", probability: "60", kind: "open" })
      .expect(302);
    const refused = await agent
      .post(`/deals/pipelines/${pipeline.id}/stages`)
      .type("form")
      .send({ _csrf: csrf, name: "Demo", probability: "600", kind: "open" })
      .expect(422);
    expect(refused.text).toContain("Enter a probability from 0 to 100.");
    const demo = await t.deps.models.PipelineStage.findOne({
      where: { pipelineId: pipeline.id, name: "Demo" },
    });
    await agent
      .post(`/deals/pipelines/${pipeline.id}/stages/${demo!.id}`)
      .type("form")
      .send({ _csrf: csrf, name: "Product demo", probability: "65", kind: "open" })
      .expect(302);
    await agent
      .post(`/deals/pipelines/${pipeline.id}/stages/${demo!.id}/move`)
      .type("form")
      .send({ _csrf: csrf, direction: "up" })
      .expect(302);
    expect(await demo!.reload()).toMatchObject({ name: "Product demo", position: 3 });
    await buildDeal(t.deps.models, business, { stageId: demo!.id, title: "In the demo" });
    const ask = await agent
      .get(`/deals/pipelines/${pipeline.id}/stages/${demo!.id}/remove`)
      .expect(200);
    expect(ask.text).toContain("Move its deals to");
    await agent
      .post(`/deals/pipelines/${pipeline.id}/stages/${demo!.id}/remove`)
      .type("form")
      .send({ _csrf: csrf, moveToStageId: String(stages[1]!.id) })
      .expect(302);
    expect(await t.deps.models.PipelineStage.findByPk(demo!.id)).toBeNull();
    // Another pipeline, started with the default stages, renamed, and shown as a tab of the board.
    await agent
      .post("/deals/pipelines")
      .type("form")
      .send({ _csrf: csrf, name: "Renewals" })
      .expect(302);
    const renewals = await t.deps.models.Pipeline.findOne({
      where: { businessId: business.id, name: "Renewals" },
    });
    expect(renewals?.isDefault).toBeNull();
    await agent
      .post(`/deals/pipelines/${renewals!.id}`)
      .type("form")
      .send({ _csrf: csrf, name: "AMC renewals" })
      .expect(302);
    const tabs = await agent.get(`/deals?pipelineId=${renewals!.id}`).expect(200);
    expect(tabs.text).toContain("AMC renewals");
    expect(tabs.text).toContain('aria-current="page">AMC renewals');
    // A stage of another pipeline under this pipeline's path is not found.
    const { pipeline: foreign } = await buildPipeline(
      t.deps.models,
      (await buildBusiness(t.deps.models)).business,
    );
    await agent.get(`/deals/pipelines/${foreign.id}`).expect(404);
  });

  it("scopes sales to their own deals; refuses roles without deals (403) and plans without them (402)", async () => {
    const seller = (await buildMember(t.deps.models, business, "sales")).user;
    const sellerAgent = await signedIn(t, seller.email);
    const theirs = await buildDeal(t.deps.models, business, { title: "Owner deal" });
    const mine = await buildDeal(t.deps.models, business, {
      title: "Seller deal",
      ownerId: seller.id,
    });
    const board = await sellerAgent.get("/deals").expect(200);
    expect(board.text).toContain("Seller deal");
    expect(board.text).not.toContain("Owner deal");
    await sellerAgent.get(`/deals/${theirs.id}`).expect(404);
    await sellerAgent.get(`/deals/${mine.id}`).expect(200);
    await sellerAgent.get(`/deals/pipelines/${theirs.pipelineId}`).expect(403);

    for (const role of ["support", "marketing"] as const) {
      const member = (await buildMember(t.deps.models, business, role)).user;
      const browser = await signedIn(t, member.email);
      await browser.get("/deals").expect(403);
      await browser.get(`/deals/${mine.id}`).expect(403);
    }
    const freeOwner = await buildUser(t.deps.models, { planCode: "free" });
    await buildBusiness(t.deps.models, { owner: freeOwner });
    const free = await signedIn(t, freeOwner.email);
    await free.get("/deals").expect(402);
  });

  it("answers 404 for another business's deal", async () => {
    const { business: other } = await buildBusiness(t.deps.models);
    const foreign = await buildDeal(t.deps.models, other);
    await agent.get(`/deals/${foreign.id}`).expect(404);
    await agent.get(`/deals/${foreign.id}/edit`).expect(404);
  });
});
