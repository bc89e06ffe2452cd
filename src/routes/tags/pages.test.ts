import { Op } from "sequelize";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildCustomer, buildMember } from "../../../test/factories";
import { currentTagNames } from "../../commands/customers/writes";
import type { Business } from "../../models";

async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
  const csrf = csrfFrom(await agent.get("/tags"));
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrf, ...body });
}

/** Tags are shared by the team (issue 10, item 2): who changes them, and what their pages show. */
describe("the tags page", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const tagOf = (business: Business, name: string) =>
    t.deps.models.Tag.findOne({ where: { businessId: business.id, name } });

  async function events(business: Business, kind: string) {
    const rows = await t.deps.models.TimelineEvent.findAll({
      where: { businessId: business.id, kind },
      order: [["customerId", "ASC"]],
    });
    return rows.map((row) => ({
      customerId: row.customerId,
      details: JSON.parse(row.details ?? "{}") as unknown,
    }));
  }

  async function team() {
    const signed = await ownerSignedIn(t, "gold");
    const models = t.deps.models;
    const { user: seller } = await buildMember(models, signed.business, "sales");
    const { user: manager } = await buildMember(models, signed.business, "manager");
    const ownersA = await buildCustomer(models, signed.business, { tags: ["vip", "wholesale"] });
    const ownersB = await buildCustomer(models, signed.business, { tags: ["vip", "diwali"] });
    const sellers = await buildCustomer(models, signed.business, {
      tags: ["vip"],
      ownerId: seller.id,
    });
    return { ...signed, seller, manager, ownersA, ownersB, sellers };
  }

  it("shows sales the tags on their own customers, counted among them, and no way to change them", async () => {
    const { business, seller, ownersA } = await team();
    const sales = await signedIn(t, seller.email);
    const page = await sales.get("/tags").expect(200);
    expect(page.text).toMatch(/data-tag="vip">[\s\S]*?data-count[^>]*>1</);
    expect(page.text).not.toContain('data-tag="wholesale"');
    expect(page.text).not.toContain('data-tag="diwali"');
    expect(page.text).toContain("data-own-tags");
    expect(page.text).not.toContain("/rename");

    // Renaming or deleting a tag on the owner's customers is refused; nothing changes.
    const vip = (await tagOf(business, "vip"))!;
    const wholesale = (await tagOf(business, "wholesale"))!;
    expect((await post(sales, `/tags/${vip.id}/rename`, { name: "gold" })).status).toBe(403);
    expect((await post(sales, `/tags/${wholesale.id}/delete`)).status).toBe(403);
    expect(await currentTagNames(t.deps.models, ownersA)).toEqual(["vip", "wholesale"]);
    expect(await events(business, "untagged")).toEqual([]);
  });

  it("shows managers business-wide counts and records renames on every customer's timeline", async () => {
    const { business, manager, ownersA, ownersB, sellers } = await team();
    const agent = await signedIn(t, manager.email);
    const page = await agent.get("/tags").expect(200);
    expect(page.text).toMatch(/data-tag="vip">[\s\S]*?data-count[^>]*>3</);
    const vip = (await tagOf(business, "vip"))!;
    expect((await post(agent, `/tags/${vip.id}/rename`, { name: "Gold" })).status).toBe(302);

    const ids = [ownersA.id, ownersB.id, sellers.id].sort((a, b) => a - b);
    expect(await events(business, "untagged")).toEqual(
      ids.map((customerId) => ({ customerId, details: { tags: ["vip"], via: "rename" } })),
    );
    expect(await events(business, "tagged")).toEqual(
      ids.map((customerId) => ({ customerId, details: { tags: ["gold"], via: "rename" } })),
    );
    const shown = await agent.get(`/customers/${ownersA.id}`).expect(200);
    expect(shown.text).toContain("Removed tags vip");
    expect(shown.text).toContain("Tagged gold");
    const actors = await t.deps.models.TimelineEvent.findAll({
      where: { businessId: business.id, kind: { [Op.in]: ["tagged", "untagged"] } },
    });
    expect(new Set(actors.map((e) => e.actorId))).toEqual(new Set([manager.id]));
  });

  it("records a merge (only newly tagged customers get the target) and a delete", async () => {
    const { business, agent, ownersA, ownersB, sellers } = await team();
    const wholesale = (await tagOf(business, "wholesale"))!;
    // ownersA already has vip: merging wholesale into vip only removes wholesale from it.
    expect((await post(agent, `/tags/${wholesale.id}/rename`, { name: "VIP" })).status).toBe(302);
    expect(await events(business, "untagged")).toEqual([
      { customerId: ownersA.id, details: { tags: ["wholesale"], via: "merge" } },
    ]);
    expect(await events(business, "tagged")).toEqual([]);
    expect(await currentTagNames(t.deps.models, ownersA)).toEqual(["vip"]);

    const diwali = (await tagOf(business, "diwali"))!;
    expect((await post(agent, `/tags/${diwali.id}/rename`, { name: "vip" })).status).toBe(302);
    const vip = (await tagOf(business, "vip"))!;
    expect((await post(agent, `/tags/${vip.id}/delete`)).status).toBe(302);
    const removed = await events(business, "untagged");
    const deleted = removed.filter((e) => (e.details as { via: string }).via === "delete");
    expect(deleted.map((e) => e.customerId)).toEqual(
      [ownersA.id, ownersB.id, sellers.id].sort((a, b) => a - b),
    );
    expect(await t.deps.models.CustomerTag.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("writes one event per carrier in one statement, however many carry the tag", async () => {
    const { business, agent } = await ownerSignedIn(t, "gold");
    for (let i = 0; i < 40; i++) await buildCustomer(t.deps.models, business, { tags: ["bulk"] });
    const bulk = (await tagOf(business, "bulk"))!;
    expect((await post(agent, `/tags/${bulk.id}/delete`)).status).toBe(302);
    expect(await events(business, "untagged")).toHaveLength(40);
  });
});
