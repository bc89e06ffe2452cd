import { apiAs as apiAsIn, withoutTimes } from "../../../test/support/api";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import type { Business, User } from "../../models";

describe("segments API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const apiAs = (user: User, business: Business) => apiAsIn(t, user, business);

  /** Segments are a Silver feature: the business's owner is on Silver unless told otherwise. */
  async function shop(planCode = "silver") {
    const owner = await buildUser(t.deps.models, { planCode });
    const { business } = await buildBusiness(t.deps.models, { owner });
    return { business, owner, api: await apiAs(owner, business) };
  }

  it("saves a segment, lists it, reads it and pages through its customers", async () => {
    const { business, api } = await shop();
    for (const name of ["Asha", "Bela", "Chitra"])
      await buildCustomer(t.deps.models, business, { name, tags: ["vip"] });
    await buildCustomer(t.deps.models, business, { name: "Dev", tags: ["regular"] });

    const saved = await api("post", "/segments", {
      name: " VIPs ",
      filter: { tags: "VIP", tagMode: "any" },
    }).expect(201);
    const id = saved.body.data.id as number;
    expect(saved.headers.location).toBe(`/api/v1/segments/${id}`);
    expect(saved.body.data).toMatchObject({
      name: "VIPs",
      filter: { tags: ["vip"], tagMode: "any" },
      customersUrl: `/api/v1/segments/${id}/customers`,
    });

    const listed = await api("get", "/segments").expect(200);
    expect(listed.body.data.map((s: { id: number }) => s.id)).toEqual([id]);
    const read = await api("get", `/segments/${id}`).expect(200);
    expect(withoutTimes(read.body.data)).toEqual(withoutTimes(saved.body.data));

    const first = await api("get", `/segments/${id}/customers?limit=2&sort=name`).expect(200);
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(["Asha", "Bela"]);
    const next = first.body.nextCursor as string;
    const second = await api("get", `/segments/${id}/customers?limit=2&sort=name&cursor=${next}`);
    expect(second.body.data.map((c: { name: string }) => c.name)).toEqual(["Chitra"]);
    expect(second.body.nextCursor).toBeNull();
    await api("get", `/segments/${id}/customers?limit=0`).expect(422);
  });

  it("renames and refilters a segment, and deletes it", async () => {
    const { business, api } = await shop();
    await buildCustomer(t.deps.models, business, { name: "Esha", tags: ["regular"] });
    const saved = await api("post", "/segments", { name: "Tagged", filter: { tags: ["vip"] } });
    const id = saved.body.data.id as number;

    const renamed = await api("patch", `/segments/${id}`, { name: "Regulars" }).expect(200);
    expect(renamed.body.data).toMatchObject({ name: "Regulars", filter: { tags: ["vip"] } });
    const refiltered = await api("patch", `/segments/${id}`, {
      filter: { tags: "regular" },
    }).expect(200);
    expect(refiltered.body.data).toMatchObject({ name: "Regulars", filter: { tags: ["regular"] } });
    const customers = await api("get", `/segments/${id}/customers`).expect(200);
    expect(customers.body.data.map((c: { name: string }) => c.name)).toEqual(["Esha"]);

    await api("delete", `/segments/${id}`).expect(200);
    await api("get", `/segments/${id}`).expect(404);
    expect(await t.deps.models.Segment.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("explains bad input with 422 and a taken name with 409", async () => {
    const { business, api } = await shop();
    const noName = await api("post", "/segments", {
      filter: { createdFrom: "last week", upcomingDays: 400 },
    }).expect(422);
    expect(Object.keys(noName.body.details.fields).sort()).toEqual([
      "filter.createdFrom",
      "filter.upcomingDays",
      "name",
    ]);
    const noFilter = await api("post", "/segments", { name: "Everyone" }).expect(422);
    expect(noFilter.body.details.fields).toEqual({
      filter: "Set at least one filter before saving a segment.",
    });
    await api("post", "/segments", { name: "Dup", filter: { q: "a" } }).expect(201);
    const taken = await api("post", "/segments", { name: "Dup", filter: { q: "b" } }).expect(409);
    expect(taken.body).toMatchObject({ error: "conflict", details: { field: "name" } });

    const other = await api("post", "/segments", { name: "Other", filter: { q: "c" } });
    const emptied = await api("patch", `/segments/${other.body.data.id as number}`, {
      filter: {},
    }).expect(422);
    expect(emptied.body.details.fields).toEqual({ filter: "Set at least one filter." });
    expect(await t.deps.models.Segment.count({ where: { businessId: business.id } })).toBe(2);
  });

  it("shows sales only their own customers in a segment; read-only roles cannot change one", async () => {
    const { business, api } = await shop();
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    await buildCustomer(t.deps.models, business, { name: "Owner's", tags: ["vip"] });
    await buildCustomer(t.deps.models, business, {
      name: "Seller's",
      tags: ["vip"],
      ownerId: seller.id,
    });
    const saved = await api("post", "/segments", { name: "VIP", filter: { tags: ["vip"] } });
    const id = saved.body.data.id as number;

    const sales = await apiAs(seller, business);
    const seen = await sales("get", `/segments/${id}/customers`).expect(200);
    expect(seen.body.data.map((c: { name: string }) => c.name)).toEqual(["Seller's"]);

    // Marketing reads customers and may save its own segments, but not change the team's.
    const { user: marketer } = await buildMember(t.deps.models, business, "marketing");
    const marketing = await apiAs(marketer, business);
    await marketing("post", "/segments", { name: "Mine", filter: { q: "a" } }).expect(201);
    await marketing("patch", `/segments/${id}`, { name: "Renamed" }).expect(403);
    await marketing("delete", `/segments/${id}`).expect(403);
    expect((await marketing("get", `/segments/${id}`).expect(200)).body.data.name).toBe("VIP");
  });

  it("lets only a segment's author, or an owner, admin or manager, change or delete it", async () => {
    const { business, api } = await shop();
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const { user: other } = await buildMember(t.deps.models, business, "sales");
    const { user: manager } = await buildMember(t.deps.models, business, "manager");
    const sales = await apiAs(seller, business);
    const colleague = await apiAs(other, business);
    const theTeams = await api("post", "/segments", { name: "Team's", filter: { q: "a" } });
    const teamsId = theTeams.body.data.id as number;
    const own = await sales("post", "/segments", { name: "Mine", filter: { q: "b" } });
    const ownId = own.body.data.id as number;

    // Another member's segment: refused with the reason, unchanged.
    const patched = await sales("patch", `/segments/${teamsId}`, { name: "Hijacked" }).expect(403);
    expect(patched.body).toMatchObject({
      error: "forbidden",
      message:
        "Only the member who saved this segment, or an owner, admin or manager, can change it.",
    });
    await sales("delete", `/segments/${teamsId}`).expect(403);
    await colleague("patch", `/segments/${ownId}`, { name: "Mine now" }).expect(403);
    await colleague("delete", `/segments/${ownId}`).expect(403);
    expect((await api("get", `/segments/${teamsId}`)).body.data.name).toBe("Team's");

    // Their own: changed and deleted by them; a manager changes anyone's.
    await sales("patch", `/segments/${ownId}`, { name: "Still mine" }).expect(200);
    const managerApi = await apiAs(manager, business);
    await managerApi("patch", `/segments/${teamsId}`, { name: "Tidied" }).expect(200);
    await sales("delete", `/segments/${ownId}`).expect(200);
    await managerApi("delete", `/segments/${teamsId}`).expect(200);
    expect(await t.deps.models.Segment.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("answers 402 on a plan without segments, naming the plan that has them", async () => {
    const { api } = await shop("free");
    const res = await api("get", "/segments").expect(402);
    expect(res.body).toEqual({
      statusCode: 402,
      error: "plan_limit",
      message: "The Silver plan and above include Segments; this business is on the Free plan.",
      details: {
        feature: "segments",
        featureLabel: "Segments",
        plan: "free",
        upgradeTo: { code: "silver", name: "Silver" },
        plansUrl: "/pricing/silver#feature-segments",
      },
    });
    await api("post", "/segments", { name: "VIP", filter: { q: "a" } }).expect(402);
  });
});
