import { apiAs, useApiBusiness } from "../../../test/support/api";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildDeal, buildPipeline } from "../../../test/factoriesDeals";
import { FakeClock } from "../../lib/clock";
import { dealSchema, pipelineSchema } from "./schema";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("deals API", () => {
  const env = useApiBusiness({ planCode: "gold", clock });
  const { api } = env;

  it("lists pipelines, creates, reads, changes, moves and deletes a deal; answers match the schemas", async () => {
    const pipelines = await api("get", "/pipelines").expect(200);
    expect(pipelines.body.data).toHaveLength(1);
    pipelineSchema.parse(pipelines.body.data[0]);
    const stages = pipelines.body.data[0].stages as Array<{ id: number; name: string }>;
    expect(stages.map((s) => s.name)).toEqual(["New", "In progress", "Won", "Lost"]);

    const customer = await buildCustomer(env.t.deps.models, env.business, { name: "Meera Iyer" });
    const created = await api("post", "/deals", {
      title: "AMC renewal",
      customerId: customer.id,
      amountMinor: 5_000_000,
      expectedCloseOn: "2026-12-20",
    }).expect(201);
    dealSchema.parse(created.body.data);
    expect(created.body.data).toMatchObject({
      title: "AMC renewal",
      currency: "INR",
      amountFormatted: "₹50,000.00",
      stage: { name: "New" },
      customer: { id: customer.id, name: "Meera Iyer" },
      owner: { id: env.owner.id },
      stale: false,
    });
    const id = created.body.data.id as number;
    expect(created.headers.location).toBe(`/api/v1/deals/${id}`);

    const patched = await api("patch", `/deals/${id}`, { amountMinor: 6_000_000 }).expect(200);
    expect(patched.body.data.amountMinor).toBe(6_000_000);
    const moved = await api("post", `/deals/${id}/stage`, {
      stageId: stages[3]!.id,
      reason: "Budget cut",
    }).expect(200);
    dealSchema.parse(moved.body.data);
    expect(moved.body.data).toMatchObject({
      stage: { name: "Lost", kind: "lost" },
      reason: "Budget cut",
    });
    expect(moved.body.data.closedAt).not.toBeNull();

    const bad = await api("post", "/deals", { title: "", amountMinor: -1 }).expect(422);
    expect(Object.keys(bad.body.details.fields as object).sort()).toEqual(["amountMinor", "title"]);
    await api("patch", `/deals/${id}`, {}).expect(422);

    const one = await api("get", `/deals/${id}`).expect(200);
    dealSchema.parse(one.body.data);
    await api("delete", `/deals/${id}`).expect(200);
    await api("get", `/deals/${id}`).expect(404);
  });

  it("pages deals by cursor with filters; sales see their own only; other businesses are 404", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(env.t.deps.models, {
      owner: await buildUser(env.t.deps.models, { planCode: "gold" }),
    });
    const { stages } = await buildPipeline(env.t.deps.models, shop);
    const seller = (await buildMember(env.t.deps.models, shop, "sales")).user;
    for (let i = 0; i < 3; i++) await buildDeal(env.t.deps.models, shop, { title: `Owner ${i}` });
    const sellers = await buildDeal(env.t.deps.models, shop, {
      title: "Seller's",
      ownerId: seller.id,
    });
    await buildDeal(env.t.deps.models, shop, { title: "Won", stageId: stages[2]!.id });
    const ownerApi = await apiAs(env.t, shopOwner, shop);
    const first = await ownerApi("get", "/deals?limit=2").expect(200);
    expect(first.body.data).toHaveLength(2);
    const second = await ownerApi("get", `/deals?limit=2&cursor=${first.body.nextCursor}`).expect(
      200,
    );
    expect(second.body.data).toHaveLength(2);
    const won = await ownerApi("get", `/deals?stageId=${stages[2]!.id}`).expect(200);
    expect(won.body.data.map((d: { title: string }) => d.title)).toEqual(["Won"]);

    const salesApi = await apiAs(env.t, seller, shop);
    const own = await salesApi("get", "/deals").expect(200);
    expect(own.body.data.map((d: { id: number }) => d.id)).toEqual([sellers.id]);
    const others = await buildDeal(env.t.deps.models, shop, { title: "Not the seller's" });
    await salesApi("get", `/deals/${others.id}`).expect(404);
    await salesApi("patch", `/deals/${sellers.id}`, { ownerId: shopOwner.id }).expect(403);

    const foreign = await buildDeal(env.t.deps.models, env.business);
    await ownerApi("get", `/deals/${foreign.id}`).expect(404);
  });
});
