import { apiAs } from "../../../test/support/api";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { postForm as post } from "../../../test/support/forms";
import { buildCustomer, buildMember } from "../../../test/factories";

/**
 * Role scope on customer writes (issue 10, items 3 and 4): a duplicate phone tells a member limited
 * to their own customers nothing about a colleague's customer, and one owner rule holds for the
 * form, the API and bulk "assign owner".
 */
describe("role scope on customer writes", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function team() {
    const signed = await ownerSignedIn(t, "gold");
    const models = t.deps.models;
    const { user: seller } = await buildMember(models, signed.business, "sales");
    const { user: manager } = await buildMember(models, signed.business, "manager");
    const theirs = await buildCustomer(models, signed.business, {
      name: "Ravi Kumar",
      phoneE164: "+919811112222",
    });
    const mine = await buildCustomer(models, signed.business, {
      name: "Seller's Own",
      phoneE164: "+919833334444",
      ownerId: seller.id,
    });
    return { ...signed, seller, manager, theirs, mine };
  }

  describe("a duplicate phone", () => {
    it("on the form, names a colleague's customer only to those who may open it", async () => {
      const { business, seller, manager, theirs, mine } = await team();
      const sales = await signedIn(t, seller.email);
      const refused = await post(sales, "/customers/new", "/customers", {
        name: "Someone Else",
        phone: "+91 98111 12222",
      });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain(
        "This phone number belongs to a customer of another team member. Ask an owner, admin or manager to reassign that customer to you.",
      );
      expect(refused.text).not.toContain("Ravi Kumar");
      expect(refused.text).not.toContain(`/customers/${theirs.id}`);
      expect(refused.text).not.toContain("data-duplicate");

      // Their own customer's number still links to it; so does a manager's clash.
      const own = await post(sales, "/customers/new", "/customers", {
        name: "Someone Else",
        phone: "+91 98333 34444",
      });
      expect(own.status).toBe(409);
      expect(own.text).toContain(`href="/customers/${mine.id}"`);
      const managerAgent = await signedIn(t, manager.email);
      const seen = await post(managerAgent, "/customers/new", "/customers", {
        name: "Someone Else",
        phone: "+91 98111 12222",
      });
      expect(seen.status).toBe(409);
      expect(seen.text).toContain(`href="/customers/${theirs.id}"`);
      expect(seen.text).toContain("Ravi Kumar");

      // Editing their own customer onto the colleague's number is answered the same way.
      const edit = `/customers/${mine.id}`;
      const clash = await post(sales, `${edit}/edit`, edit, {
        name: "Seller's Own",
        phone: "098111 12222",
      });
      expect(clash.status).toBe(409);
      expect(clash.text).not.toContain("Ravi Kumar");
      expect(clash.text).not.toContain(`/customers/${theirs.id}"`);
      expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(2);
    });

    it("in the API, gives members limited to their own customers no id, URL or name", async () => {
      const { business, owner, seller, theirs, mine } = await team();
      const sales = await apiAs(t, seller, business);
      const created = await sales("post", "/customers", {
        name: "Someone",
        phone: "+919811112222",
      }).expect(409);
      expect(created.body).toEqual({
        statusCode: 409,
        error: "conflict",
        message:
          "This phone number belongs to a customer of another team member. Ask an owner, admin or manager to reassign that customer to you.",
        details: { field: "phone" },
      });
      const patched = await sales("patch", `/customers/${mine.id}`, {
        phone: "+919811112222",
      }).expect(409);
      expect(patched.body.details).toEqual({ field: "phone" });

      const ownerApi = await apiAs(t, owner, business);
      const full = await ownerApi("post", "/customers", {
        name: "Someone",
        phone: "+919811112222",
      }).expect(409);
      expect(full.body.details).toEqual({
        field: "phone",
        customerId: theirs.id,
        url: `/customers/${theirs.id}`,
      });
      expect(full.body.message).toContain("Ravi Kumar");
    });
  });

  describe("the owner of a customer", () => {
    it("is fixed for sales on the form, the API and bulk assign alike", async () => {
      const { business, owner, seller, mine, theirs } = await team();
      const sales = await signedIn(t, seller.email);
      const edit = `/customers/${mine.id}`;
      const form = await sales.get(`${edit}/edit`).expect(200);
      expect(form.text).not.toContain('id="field-ownerId"');
      expect(form.text).toContain("data-owner-fixed");

      // A crafted form, the API and the bulk bar are refused alike, and nothing changes.
      const crafted = await post(sales, `${edit}/edit`, edit, {
        name: "Seller's Own",
        phone: mine.phoneE164,
        ownerId: String(owner.id),
      });
      expect(crafted.status).toBe(403);
      const api = await apiAs(t, seller, business);
      const patched = await api("patch", `/customers/${mine.id}`, { ownerId: owner.id });
      expect(patched.status).toBe(403);
      expect(patched.body.message).toMatch(/^Only an owner, admin or manager can hand customers/);
      await api("patch", `/customers/${mine.id}`, { ownerId: seller.id, name: "Kept" }).expect(200);

      const list = await sales.get("/customers").expect(200);
      expect(list.text).not.toContain('value="assign"');
      expect(list.text).not.toContain('id="bulk-owner"');
      const bulk = await post(sales, "/customers", "/customers/bulk", {
        action: "assign",
        scope: "selected",
        ids: [String(mine.id)],
        newOwnerId: String(owner.id),
      });
      expect(bulk.status).toBe(403);

      await Promise.all([mine.reload(), theirs.reload()]);
      expect(mine.ownerId).toBe(seller.id);
      expect(mine.name).toBe("Kept");
      expect(theirs.ownerId).toBe(owner.id);
    });

    it("is chosen by managers on the form, the API and bulk assign", async () => {
      const { business, seller, manager, theirs } = await team();
      const agent = await signedIn(t, manager.email);
      const list = await agent.get("/customers").expect(200);
      expect(list.text).toContain('<option value="assign">Assign owner</option>');
      const form = await agent.get(`/customers/${theirs.id}/edit`).expect(200);
      expect(form.text).toContain('id="field-ownerId"');

      const bulk = await post(agent, "/customers", "/customers/bulk", {
        action: "assign",
        scope: "selected",
        ids: [String(theirs.id)],
        newOwnerId: String(seller.id),
      });
      expect(bulk.status).toBe(302);
      await theirs.reload();
      expect(theirs.ownerId).toBe(seller.id);

      const api = await apiAs(t, manager, business);
      const back = await api("patch", `/customers/${theirs.id}`, { ownerId: manager.id });
      expect(back.status).toBe(200);
      expect(back.body.data.ownerId).toBe(manager.id);
      const stranger = await api("patch", `/customers/${theirs.id}`, { ownerId: 999_999 });
      expect(stranger.status).toBe(422);
      expect(stranger.body.details.fields).toEqual({
        ownerId: "Choose a member of this business.",
      });
    });
  });

  it("tells a sales member with no customers that none are assigned to them", async () => {
    const { business } = await ownerSignedIn(t, "gold");
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    await buildCustomer(t.deps.models, business, { name: "Someone's" });
    const sales = await signedIn(t, seller.email);
    const list = await sales.get("/customers").expect(200);
    expect(list.text).toContain("No customers are assigned to you yet.");
    expect(list.text).not.toContain("No customers yet");
  });
});
