import request from "supertest";
import { apiAs as apiAsIn, withoutTimes } from "../../../test/support/api";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildUser,
  defaultPassword,
} from "../../../test/factories";
import type { Business, User } from "../../models";

describe("customers API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const apiAs = (user: User, business: Business) => apiAsIn(t, user, business);

  async function ownerApi(overrides: Partial<Parameters<typeof buildBusiness>[1]> = {}) {
    const { business, owner } = await buildBusiness(t.deps.models, overrides);
    return { business, owner, api: await apiAs(owner, business) };
  }

  const customerCount = async (business: Business) =>
    t.deps.models.Customer.count({ where: { businessId: business.id } });

  it("creates a customer from JSON (201) and reads it back with its tags", async () => {
    const { business, owner, api } = await ownerApi();
    const created = await api("post", "/customers", {
      name: "  Asha Verma ",
      email: "Asha@Example.TEST",
      phone: "098765 43210",
      tags: ["VIP", "wholesale", "vip"],
      consentAt: "2026-10-01",
      birthDate: "1990-04-12",
    }).expect(201);
    const id = created.body.data.id as number;
    expect(created.headers.location).toBe(`/api/v1/customers/${id}`);
    expect(created.body).toEqual({
      statusCode: 201,
      message: "Customer created.",
      data: expect.objectContaining({
        id,
        name: "Asha Verma",
        email: "asha@example.test",
        phone: "+919876543210",
        whatsapp: "+919876543210",
        tags: ["vip", "wholesale"],
        consentAt: "2026-10-01",
        birthDate: "1990-04-12",
        anniversary: null,
        ownerId: owner.id,
      }),
    });

    const read = await api("get", `/customers/${id}`).expect(200);
    expect(withoutTimes(read.body.data)).toEqual(withoutTimes(created.body.data));
    const stored = await t.deps.models.Customer.findByPk(id);
    expect(stored).toMatchObject({ businessId: business.id, phoneE164: "+919876543210" });
    expect((await t.deps.models.Business.findByPk(business.id))?.customerCount).toBe(1);
  });

  it("lists every field error at once with 422, and creates nothing", async () => {
    const { business, api } = await ownerApi();
    const res = await api("post", "/customers", {
      name: "",
      email: "not-an-email",
      phone: "12",
      whatsapp: "abc",
      birthDate: "12/04/1990",
      ownerId: "x",
    }).expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: "validation_failed" });
    expect(Object.keys(res.body.details.fields).sort()).toEqual(
      ["birthDate", "email", "name", "ownerId", "phone", "whatsapp"].sort(),
    );
    expect(res.body.details.fields.phone).toBe("Enter a valid phone number.");
    await api("post", "/customers", ["not", "an", "object"]).expect(422);
    expect(await customerCount(business)).toBe(0);
  });

  it("answers 409 with the existing customer's id for a phone already in use", async () => {
    const { business, api } = await ownerApi();
    const existing = await buildCustomer(t.deps.models, business, { phoneE164: "+919876543210" });
    const res = await api("post", "/customers", { name: "Again", phone: "+91 98765 43210" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      error: "conflict",
      details: { field: "phone", customerId: existing.id },
    });
    const other = await buildCustomer(t.deps.models, business, { name: "Other" });
    const patch = await api("patch", `/customers/${other.id}`, { phone: "9876543210" });
    expect(patch.status).toBe(409);
    expect(patch.body.details.customerId).toBe(existing.id);
    expect(await customerCount(business)).toBe(2);
  });

  it("answers 402 when the plan's customer limit is reached", async () => {
    const { business, api } = await ownerApi();
    await business.update({ customerCount: 500 }); // the Free plan's limit
    const res = await api("post", "/customers", { name: "One Too Many", phone: "9876500000" });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ error: "plan_limit", details: { limit: "customers" } });
    expect(await customerCount(business)).toBe(0);
  });

  it("pages the filtered list with cursors: data and nextCursor", async () => {
    const { business, api } = await ownerApi();
    for (const name of ["Dev", "Bela", "Asha", "Chitra", "Esha"])
      await buildCustomer(t.deps.models, business, { name, tags: name === "Esha" ? [] : ["vip"] });

    const first = await api("get", "/customers?tags=vip&sort=name&limit=2").expect(200);
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(["Asha", "Bela"]);
    expect(first.body.data[0].tags).toEqual(["vip"]);

    const next = first.body.nextCursor as string;
    const second = await api("get", `/customers?tags=vip&sort=name&limit=2&cursor=${next}`);
    expect(second.body.data.map((c: { name: string }) => c.name)).toEqual(["Chitra", "Dev"]);
    expect(second.body.nextCursor).toBeNull();

    const all = await api("get", "/customers").expect(200);
    expect(all.body.data).toHaveLength(5);
    expect(all.body.nextCursor).toBeNull();
  });

  it("rejects list parameters it cannot read with 422 naming each", async () => {
    const { api } = await ownerApi();
    const res = await api("get", "/customers?limit=500&sort=age&createdFrom=yesterday").expect(422);
    expect(Object.keys(res.body.details.fields).sort()).toEqual(["createdFrom", "limit", "sort"]);
  });

  it("updates only the fields sent, checking the result as a whole customer", async () => {
    const { business, api } = await ownerApi();
    const customer = await buildCustomer(t.deps.models, business, {
      name: "Ravi Kumar",
      email: "ravi@example.test",
      tags: ["vip", "regular"],
      birthDate: "1985-06-01",
    });
    const res = await api("patch", `/customers/${customer.id}`, {
      email: "ravi.k@example.test",
      tags: "vip, loyal",
    }).expect(200);
    expect(res.body.data).toMatchObject({
      name: "Ravi Kumar",
      email: "ravi.k@example.test",
      phone: customer.phoneE164,
      tags: ["loyal", "vip"],
      birthDate: "1985-06-01",
    });

    const bad = await api("patch", `/customers/${customer.id}`, {
      name: " ",
      anniversary: "soon",
    }).expect(422);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(["anniversary", "name"]);
    await customer.reload();
    expect(customer.name).toBe("Ravi Kumar");

    // Clearing a field is sending null; a WhatsApp number cleared falls back to the phone.
    const cleared = await api("patch", `/customers/${customer.id}`, {
      birthDate: null,
      whatsapp: null,
    }).expect(200);
    expect(cleared.body.data).toMatchObject({ birthDate: null, whatsapp: customer.phoneE164 });
  });

  it("deletes a customer; it is gone and no longer counted", async () => {
    const { business, api } = await ownerApi();
    const customer = await buildCustomer(t.deps.models, business);
    const res = await api("delete", `/customers/${customer.id}`).expect(200);
    expect(res.body).toEqual({
      statusCode: 200,
      data: { id: customer.id },
      message: "Customer deleted.",
    });
    await api("get", `/customers/${customer.id}`).expect(404);
    expect((await t.deps.models.Business.findByPk(business.id))?.customerCount).toBe(0);
  });

  it("keeps sales to their own customers and support to reading", async () => {
    const { business } = await buildBusiness(t.deps.models);
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const { user: supporter } = await buildMember(t.deps.models, business, "support");
    const theirs = await buildCustomer(t.deps.models, business, { name: "Owner's" });
    const mine = await buildCustomer(t.deps.models, business, { name: "Mine", ownerId: seller.id });

    const sales = await apiAs(seller, business);
    const listed = await sales("get", "/customers").expect(200);
    expect(listed.body.data.map((c: { id: number }) => c.id)).toEqual([mine.id]);
    await sales("get", `/customers/${theirs.id}`).expect(404);
    // Sales owns what it creates: naming another owner is refused, not silently ignored.
    const handed = await sales("post", "/customers", {
      name: "New Lead",
      phone: "9876511111",
      ownerId: supporter.id,
    }).expect(403);
    expect(handed.body.message).toMatch(/^Only an owner, admin or manager can hand customers/);
    const created = await sales("post", "/customers", {
      name: "New Lead",
      phone: "9876511111",
    }).expect(201);
    expect(created.body.data.ownerId).toBe(seller.id);

    const support = await apiAs(supporter, business);
    expect((await support("get", "/customers").expect(200)).body.data).toHaveLength(3);
    const refused = await support("post", "/customers", { name: "" }).expect(403);
    expect(refused.body.error).toBe("forbidden");
    await support("patch", `/customers/${mine.id}`, { name: "Changed" }).expect(403);
    await support("delete", `/customers/${mine.id}`).expect(403);
    expect(await customerCount(business)).toBe(3);
  });

  it("adds, lists, edits and deletes notes; only the author edits", async () => {
    const { business, api } = await ownerApi();
    const { user: manager } = await buildMember(t.deps.models, business, "manager");
    const customer = await buildCustomer(t.deps.models, business);
    const other = await buildCustomer(t.deps.models, business, { name: "Other" });

    const empty = await api("post", `/customers/${customer.id}/notes`, { body: "  " }).expect(422);
    expect(empty.body.details.fields.body).toBe("Write something in the note.");
    const added = await api("post", `/customers/${customer.id}/notes`, {
      body: "Called about the order.",
    }).expect(201);
    const noteId = added.body.data.id as number;
    expect(added.body.data).toMatchObject({
      customerId: customer.id,
      body: "Called about the order.",
      editable: true,
    });

    const managerApi = await apiAs(manager, business);
    const listed = await managerApi("get", `/customers/${customer.id}/notes`).expect(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id: noteId, editable: false, author: expect.any(Object) }),
    ]);
    const notAuthor = await managerApi("patch", `/customers/${customer.id}/notes/${noteId}`, {
      body: "Rewritten",
    }).expect(403);
    expect(notAuthor.body.message).toBe("Only the author can change this note.");
    // A note reached through another customer's path does not exist there.
    await api("patch", `/customers/${other.id}/notes/${noteId}`, { body: "x" }).expect(404);

    const edited = await api("patch", `/customers/${customer.id}/notes/${noteId}`, {
      body: "Called; order confirmed.",
    }).expect(200);
    expect(edited.body.data.body).toBe("Called; order confirmed.");
    await api("delete", `/customers/${customer.id}/notes/${noteId}`).expect(200);
    const after = await api("get", `/customers/${customer.id}/notes`).expect(200);
    expect(after.body.data).toEqual([]);
  });

  it("needs a token and a business", async () => {
    const res = await request(t.app).get("/api/v1/customers").expect(401);
    expect(res.body.error).toBe("unauthorized");
    const loner = await buildUser(t.deps.models);
    const { business } = await buildBusiness(t.deps.models);
    const login = await request(t.app)
      .post("/api/v1/auth/login")
      .send({ email: loner.email, password: defaultPassword });
    const noBusiness = await request(t.app)
      .get("/api/v1/customers")
      .set("Authorization", `Bearer ${login.body.data.accessToken as string}`)
      .expect(403);
    expect(noBusiness.body.error).toBe("forbidden");
    const notMember = await request(t.app)
      .get("/api/v1/customers")
      .set("Authorization", `Bearer ${login.body.data.accessToken as string}`)
      .set("X-Business-Id", String(business.id))
      .expect(403);
    expect(notMember.body.error).toBe("forbidden");
  });
});
