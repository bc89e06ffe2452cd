import { buildTestApp, type TestApp } from "../../../test/support/app";
import { namesOnPage, ownerSignedIn, signedIn } from "../../../test/support/customers";
import { postForm as post } from "../../../test/support/forms";
import { buildCustomer, buildMember } from "../../../test/factories";
import { currentTagNames } from "../../commands/customers/writes";

describe("bulk actions, merge, notes, tags and segments", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("tags, untags and assigns the ticked rows or the whole filter", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const a = await buildCustomer(t.deps.models, business, { name: "Aarav Shah", tags: ["lead"] });
    const b = await buildCustomer(t.deps.models, business, { name: "Bela Shah", tags: ["lead"] });
    const c = await buildCustomer(t.deps.models, business, { name: "Chirag Rao" });
    const ticked = await post(agent, "/customers", "/customers/bulk", {
      action: "tag",
      scope: "selected",
      ids: [String(a.id), String(c.id)],
      bulkTags: "Diwali 2026",
    });
    expect(ticked.status).toBe(302);
    expect(await currentTagNames(t.deps.models, a)).toEqual(["diwali 2026", "lead"]);
    expect(await currentTagNames(t.deps.models, b)).toEqual(["lead"]);
    expect(await currentTagNames(t.deps.models, c)).toEqual(["diwali 2026"]);

    // The whole filter "surname Shah": both Shahs, not Chirag.
    await post(agent, "/customers", "/customers/bulk", {
      action: "assign",
      scope: "filter",
      q: "shah",
      newOwnerId: String(seller.id),
    });
    await Promise.all([a, b, c].map((x) => x.reload()));
    expect([a.ownerId, b.ownerId, c.ownerId]).toEqual([seller.id, seller.id, business.ownerId]);

    await post(agent, "/customers", "/customers/bulk", {
      action: "untag",
      scope: "filter",
      tags: "lead",
      bulkTags: "lead",
    });
    expect(await currentTagNames(t.deps.models, b)).toEqual([]);
    const timeline = await agent.get(`/customers/${a.id}`);
    expect(timeline.text).toContain("Tagged diwali 2026");
    expect(timeline.text).toContain("Removed tags lead");
  });

  it("asks before deleting, then deletes exactly the filtered customers and fixes the count", async () => {
    const { business, agent } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, { name: "Keep Me" });
    await buildCustomer(t.deps.models, business, { name: "Old One", tags: ["stale"] });
    await buildCustomer(t.deps.models, business, { name: "Old Two", tags: ["stale"] });
    const ask = await post(agent, "/customers?tags=stale", "/customers/bulk", {
      action: "delete",
      scope: "filter",
      tags: "stale",
    });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("Delete 2 customers?");
    expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(3);
    const confirm = await post(agent, "/customers", "/customers/bulk", {
      action: "delete",
      scope: "filter",
      tags: "stale",
      confirm: "yes",
    });
    expect(confirm.status).toBe(302);
    expect(namesOnPage((await agent.get("/customers")).text)).toEqual(["Keep Me"]);
    await business.reload();
    expect(business.customerCount).toBe(1);
  });

  it("merges a duplicate: chosen values win, tags unite, notes and timeline move", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const survivor = await buildCustomer(t.deps.models, business, {
      name: "Meera Nair",
      tags: ["vip"],
    });
    const duplicate = await buildCustomer(t.deps.models, business, {
      name: "Meera N.",
      email: "meera@example.com",
      tags: ["retail"],
    });
    await post(agent, `/customers/${duplicate.id}`, `/customers/${duplicate.id}/notes`, {
      body: "Prefers WhatsApp",
    });
    const form = await agent.get(`/customers/${survivor.id}/merge?duplicateId=${duplicate.id}`);
    expect(form.text).toContain("meera@example.com");
    const merged = await post(
      agent,
      `/customers/${survivor.id}`,
      `/customers/${survivor.id}/merge`,
      {
        duplicateId: String(duplicate.id),
        name: "survivor",
        phoneE164: "duplicate",
      },
    );
    expect(merged.status).toBe(302);
    await survivor.reload();
    expect(survivor.email).toBe("meera@example.com"); // empty on the survivor: filled
    expect(survivor.phoneE164).toBe(duplicate.phoneE164);
    expect(await t.deps.models.Customer.findByPk(duplicate.id)).toBeNull();
    expect(await currentTagNames(t.deps.models, survivor)).toEqual(["retail", "vip"]);
    const page = await agent.get(`/customers/${survivor.id}`);
    expect(page.text).toContain("Prefers WhatsApp");
    expect(page.text).toContain("Merged Meera N.");
    await business.reload();
    expect(business.customerCount).toBe(1);
  });

  it("lets authors edit their notes and keeps others' notes out of reach", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const customer = await buildCustomer(t.deps.models, business, { ownerId: seller.id });
    await post(agent, `/customers/${customer.id}`, `/customers/${customer.id}/notes`, {
      body: "Owner's note",
    });
    const note = await t.deps.models.Note.findOne({ where: { customerId: customer.id } });
    const sellerAgent = await signedIn(t, seller.email);
    const page = `/customers/${customer.id}`;
    const edit = await post(sellerAgent, page, `${page}/notes/${note!.id}`, { body: "hacked" });
    expect(edit.status).toBe(403);
    const empty = await post(agent, page, `${page}/notes`, { body: "   " });
    expect(empty.status).toBe(302);
    expect(await t.deps.models.Note.count({ where: { customerId: customer.id } })).toBe(1);
    await post(agent, page, `${page}/notes/${note!.id}`, { body: "Edited by owner" });
    await note!.reload();
    expect(note!.body).toBe("Edited by owner");
    await post(agent, page, `${page}/notes/${note!.id}/delete`, {});
    expect(await t.deps.models.Note.count({ where: { customerId: customer.id } })).toBe(0);
  });

  it("shows a sales member only the customers they own", async () => {
    const { business } = await ownerSignedIn(t);
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    await buildCustomer(t.deps.models, business, { name: "Mine", ownerId: seller.id });
    const theirs = await buildCustomer(t.deps.models, business, { name: "Not Mine" });
    const agent = await signedIn(t, seller.email);
    const list = await agent.get("/customers");
    expect(namesOnPage(list.text)).toEqual(["Mine"]);
    expect(list.text).toContain("1 customer");
    expect((await agent.get(`/customers/${theirs.id}`)).status).toBe(404);
  });

  it("renames, merges by renaming, and deletes tags with counts", async () => {
    const { business, agent } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, { tags: ["whole sale"] });
    await buildCustomer(t.deps.models, business, { tags: ["wholesale", "whole sale"] });
    const tags = await t.deps.models.Tag.findAll({ where: { businessId: business.id } });
    const spaced = tags.find((tag) => tag.name === "whole sale")!;
    const page = await agent.get("/tags");
    expect(page.text).toMatch(/data-tag="whole sale">[\s\S]*?data-count[^>]*>2</);
    await post(agent, "/tags", `/tags/${spaced.id}/rename`, { name: "Wholesale" });
    const after = await agent.get("/tags");
    expect(after.text).not.toContain('data-tag="whole sale"');
    expect(after.text).toMatch(/data-tag="wholesale">[\s\S]*?data-count[^>]*>2</);
    const merged = await t.deps.models.Tag.findOne({ where: { businessId: business.id } });
    await post(agent, "/tags", `/tags/${merged!.id}/delete`, {});
    expect(await t.deps.models.CustomerTag.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("saves a filter as a segment, lists its count and opens it", async () => {
    const { business, agent } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, { name: "Vip One", tags: ["vip"] });
    await buildCustomer(t.deps.models, business, { name: "Plain" });
    const saved = await post(agent, "/customers?tags=vip", "/segments", {
      tags: "vip",
      segmentName: "VIPs",
    });
    expect(saved.headers.location).toBe("/segments");
    const list = await agent.get("/segments");
    expect(list.text).toMatch(/data-segment="VIPs"[\s\S]*?1 customers/);
    const segment = await t.deps.models.Segment.findOne({ where: { businessId: business.id } });
    const open = await agent.get(`/segments/${segment!.id}`);
    expect(open.headers.location).toBe("/customers?tags=vip");
    const again = await post(agent, "/customers?tags=vip", "/segments", {
      tags: "vip",
      segmentName: "VIPs",
    });
    expect(again.status).toBe(302);
    expect(await t.deps.models.Segment.count({ where: { businessId: business.id } })).toBe(1);
  });
});
