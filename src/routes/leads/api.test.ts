import { apiAs, useApiBusiness } from "../../../test/support/api";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import { leadSchema } from "./schema";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("leads API", () => {
  const env = useApiBusiness({ planCode: "enterprise", clock });
  const { api } = env;

  it("creates, reads, changes and deletes a lead; answers match the declared schema", async () => {
    const created = await api("post", "/leads", {
      firstName: "Priya",
      lastName: "Menon",
      email: "priya.menon@finedge.co",
      phone: "+91 98220 77551",
      source: "Webinar",
      campaignName: "Webinar Series Q2",
      score: 20,
      interestedProducts: ["Payroll"],
      consentEmail: true,
      utmSource: "linkedin",
    }).expect(201);
    const id = created.body.data.id as number;
    expect(created.headers.location).toBe(`/api/v1/leads/${id}`);
    expect(created.body.data).toMatchObject({
      phone: "+919822077551",
      stage: "new",
      temperature: "cold",
      owner: { id: env.owner.id, name: env.owner.name },
      consentEmail: true,
      consentEmailAt: "2026-12-01T06:00:00.000Z",
      interestedProducts: ["Payroll"],
    });
    expect(leadSchema.safeParse(created.body.data).success).toBe(true);

    const patched = await api("patch", `/leads/${id}`, { stage: "contacted", score: 55 }).expect(
      200,
    );
    expect(patched.body.data).toMatchObject({ stage: "contacted", score: 55, temperature: "warm" });
    expect(leadSchema.safeParse(patched.body.data).success).toBe(true);
    const shown = await api("get", `/leads/${id}`).expect(200);
    expect(leadSchema.safeParse(shown.body.data).success).toBe(true);

    const bad = await api("patch", `/leads/${id}`, { score: 101, stage: "won", extra: 1 }).expect(
      422,
    );
    expect(bad.body.error).toBe("validation_failed");
    expect((await api("get", `/leads/${id}`).expect(200)).body.data.score).toBe(55);

    const dup = await api("post", "/leads", { firstName: "Again", phone: "9822077551" }).expect(
      409,
    );
    expect(dup.body.details).toMatchObject({ field: "phone", leadId: id });

    await api("delete", `/leads/${id}`).expect(200, {
      statusCode: 200,
      data: { id },
      message: "Lead deleted.",
    });
    await api("get", `/leads/${id}`).expect(404);
  });

  it("lists with the page's filters and cursor paging", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(env.t.deps.models, {
      owner: await buildUser(env.t.deps.models, { planCode: "enterprise" }),
    });
    const call = await apiAs(env.t, shopOwner, shop);
    const a = await buildLead(env.t.deps.models, shop, { score: 90, source: "Event" });
    const b = await buildLead(env.t.deps.models, shop, { score: 10 });
    const c = await buildLead(env.t.deps.models, shop, { score: 95, stage: "qualified" });
    const first = await call("get", "/leads?limit=2").expect(200);
    expect(first.body.data.map((l: { id: number }) => l.id)).toEqual([c.id, b.id]);
    const second = await call("get", `/leads?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.data.map((l: { id: number }) => l.id)).toEqual([a.id]);
    expect(second.body.nextCursor).toBeNull();
    const hot = await call("get", "/leads?temperature=hot&source=Event").expect(200);
    expect(hot.body.data.map((l: { id: number }) => l.id)).toEqual([a.id]);
    await call("get", "/leads?stage=won").expect(422);
    await call("get", "/leads?ownerId=0x10").expect(422);
  });

  it("gives sales their own leads only, and another env.business nothing", async () => {
    const seller = (await buildMember(env.t.deps.models, env.business, "sales")).user;
    const mine = await buildLead(env.t.deps.models, env.business, { ownerId: seller.id });
    const theirs = await buildLead(env.t.deps.models, env.business, { ownerId: env.owner.id });
    const sales = await apiAs(env.t, seller, env.business);
    const list = await sales("get", "/leads").expect(200);
    expect(list.body.data.map((l: { id: number }) => l.id)).toEqual([mine.id]);
    await sales("get", `/leads/${theirs.id}`).expect(404);
    await sales("patch", `/leads/${theirs.id}`, { score: 1 }).expect(404);
    await sales("delete", `/leads/${theirs.id}`).expect(404);
    await sales("patch", `/leads/${mine.id}`, { ownerId: env.owner.id }).expect(403);
    const created = await sales("post", "/leads", { firstName: "Own" }).expect(201);
    expect(created.body.data.ownerId).toBe(seller.id);

    const { business: other } = await buildBusiness(env.t.deps.models);
    const foreign = await buildLead(env.t.deps.models, other);
    await api("get", `/leads/${foreign.id}`).expect(404);
    await api("patch", `/leads/${foreign.id}`, { score: 3 }).expect(404);
    await api("delete", `/leads/${foreign.id}`).expect(404);
    expect((await foreign.reload()).score).toBe(0);
  });
});
