import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildMember } from "../../../test/factories";
import type { Deps } from "../../deps";
import type { Business } from "../../models";
import { businessScope } from "../../tenancy/scope";
import type { TenantContext } from "../../tenancy/context";
import { attachTags, ensureTags } from "./tags";
import { customerColumns } from "./writes";
import { sizedTags, type CustomerFilter } from "./filter";
import { countCap, countCustomers } from "./count";
import { customerSorts, listCustomers, type CustomerSort, type ListedCustomer } from "./list";

/** Every page of a list, following its "next" cursors, then back through "prev". */
async function walk(deps: Deps, ctx: TenantContext, filter: CustomerFilter, sort: CustomerSort) {
  const forwards: ListedCustomer[][] = [];
  let after: string | undefined;
  let last;
  for (;;) {
    last = await listCustomers(deps, ctx, filter, { sort, size: 10, after });
    forwards.push(last.rows);
    if (!last.next) break;
    after = last.next;
  }
  const backwards: ListedCustomer[][] = [last.rows];
  let before = last.prev;
  while (before) {
    const page = await listCustomers(deps, ctx, filter, { sort, size: 10, before });
    backwards.unshift(page.rows);
    before = page.prev;
  }
  return { forwards: forwards.flat(), backwards: backwards.flat() };
}

/** Inserts `count` customers in one statement (the factory writes one at a time). */
async function bulkCustomers(
  db: { models: Deps["models"] },
  business: Business,
  count: number,
  name: (i: number) => string,
  firstPhone = 0,
) {
  const rows = Array.from({ length: count }, (_, i) => ({
    businessId: business.id,
    ownerId: business.ownerId,
    ...customerColumns({
      name: name(i),
      email: null,
      phoneE164: `+9197${String(10_000_000 + firstPhone + i).slice(-8)}`,
      whatsappE164: `+9197${String(10_000_000 + firstPhone + i).slice(-8)}`,
      tags: [],
      consentAt: null,
      birthDate: null,
      anniversary: null,
      ownerId: business.ownerId,
    }),
  }));
  await db.models.Customer.bulkCreate(rows);
  await db.models.Business.increment("customerCount", { by: count, where: { id: business.id } });
}

describe("the customer list command", () => {
  const db = useTestDatabase();

  it("pages through every customer once, in each sort, forwards and back, with ties", async () => {
    const deps = testDeps(db.current);
    const { business, owner } = await buildBusiness(db.current.models);
    // Equal names (ties broken by id) and equal timestamps (created in the same millisecond).
    for (let i = 0; i < 23; i++)
      await buildCustomer(db.current.models, business, { name: `Name ${i % 7}` });
    const stamp = new Date("2030-01-02T03:04:05.678Z");
    await db.current.models.Customer.update(
      { createdAt: stamp },
      { where: { businessId: business.id, name: "Name 3" }, silent: true },
    );
    const ctx = await contextFor(db.current, business, owner);
    const all = await db.current.models.Customer.findAll({ where: { businessId: business.id } });
    for (const sort of customerSorts) {
      const key = sort.replace("-", "") as "name" | "created" | "updated";
      const value = (c: (typeof all)[number]) =>
        key === "name" ? c.nameKey : (key === "created" ? c.createdAt : c.updatedAt).getTime();
      const expected = [...all]
        .sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : a.id - b.id))
        .map((c) => c.id);
      if (sort.startsWith("-")) expected.reverse();
      const { forwards, backwards } = await walk(deps, ctx, {}, sort);
      expect([sort, forwards.map((c) => c.id)]).toEqual([sort, expected]);
      expect([sort, backwards.map((c) => c.id)]).toEqual([sort, expected]);
    }
  });

  it("reads plain rows with their tags, sorted, however long the tag list", async () => {
    const deps = testDeps(db.current);
    const { business, owner } = await buildBusiness(db.current.models);
    const many = Array.from(
      { length: 60 },
      (_, i) => `a-rather-long-tag-${String(i).padStart(3, "0")}`,
    );
    const tagged = await buildCustomer(db.current.models, business, {
      name: "Tagged",
      tags: ["wholesale", "vip"],
    });
    const crowded = await buildCustomer(db.current.models, business, { name: "Crowded" });
    const tags = await ensureTags(db.current.models, businessScope(business.id), many);
    await attachTags(db.current.models, businessScope(business.id), [crowded.id], tags);
    await buildCustomer(db.current.models, business, { name: "Untagged" });
    const ctx = await contextFor(db.current, business, owner);
    const page = await listCustomers(deps, ctx, {}, { sort: "name", size: 25 });
    expect(page.rows.map((r) => [r.name, r.tags])).toEqual([
      ["Crowded", [...many].sort()],
      ["Tagged", ["vip", "wholesale"]],
      ["Untagged", []],
    ]);
    expect(page.rows[1]).toMatchObject({ id: tagged.id, phoneE164: tagged.phoneE164 });
    expect(page.rows[1]!.createdAt).toBeInstanceOf(Date);
    // As stored (MySQL keeps whole seconds).
    expect(page.rows[1]!.createdAt.getTime()).toBe((await tagged.reload()).createdAt.getTime());
    // A filtered read (the query builder's way) gives the same row.
    const filtered = await listCustomers(deps, ctx, { q: "tagged" }, { sort: "name", size: 25 });
    expect(filtered.rows).toEqual([page.rows[1]]);
  });

  it("counts a search once per customer matching several ways, and the sizes of tags", async () => {
    const deps = testDeps(db.current);
    const { business, owner } = await buildBusiness(db.current.models);
    // Name, surname and e-mail all start with "ravi": one customer, counted once.
    await buildCustomer(db.current.models, business, {
      name: "Ravi Ravindran",
      email: "ravi@example.com",
      tags: ["vip"],
    });
    await buildCustomer(db.current.models, business, { name: "Asha Ravikumar", tags: ["vip"] });
    await buildCustomer(db.current.models, business, { name: "Meera Iyer", email: "ravi.m@x.in" });
    await buildCustomer(db.current.models, business, { name: "Someone Else", tags: ["new"] });
    const ctx = await contextFor(db.current, business, owner);
    expect(await countCustomers(deps, ctx, { q: "ravi" })).toEqual({
      total: 3,
      totalCapped: false,
    });
    expect(await countCustomers(deps, ctx, { tags: ["vip"] })).toEqual({
      total: 2,
      totalCapped: false,
    });
    expect(await countCustomers(deps, ctx, { tags: ["vip", "new"] })).toEqual({
      total: 3,
      totalCapped: false,
    });
    expect(await countCustomers(deps, ctx, { tags: ["vip", "new"], tagMode: "all" })).toEqual({
      total: 0,
      totalCapped: false,
    });
    const sized = await sizedTags(deps, ctx, { names: ["vip", "new", "unknown"] }, 2);
    expect(Object.fromEntries(sized.ids.map((id, i) => [id, sized.sizes[i]]))).toEqual(
      Object.fromEntries(
        (await db.current.models.Tag.findAll({ where: { businessId: business.id } }))
          .filter((t) => t.name !== "unknown")
          .map((t) => [t.id, t.name === "vip" ? 2 : 1]),
      ),
    );
  });

  it("a search matching more than the cap walks the name order and pages like any list", async () => {
    const deps = testDeps(db.current);
    const { business, owner } = await buildBusiness(db.current.models);
    await bulkCustomers(db.current, business, countCap + 30, (i) =>
      i % 2 ? `Zed Sharma ${String(i).padStart(4, "0")}` : `Sharmila ${String(i).padStart(4, "0")}`,
    );
    await bulkCustomers(db.current, business, 20, (i) => `Other ${i}`, 5000);
    const ctx = await contextFor(db.current, business, owner);
    const first = await listCustomers(deps, ctx, { q: "sharm" }, { sort: "name", size: 50 });
    expect(first).toMatchObject({ total: countCap, totalCapped: true });
    const names = (
      await db.current.models.Customer.findAll({
        where: { businessId: business.id },
        order: [
          ["nameKey", "ASC"],
          ["id", "ASC"],
        ],
      })
    )
      .map((c) => c.name)
      .filter((n) => !n.startsWith("Other"));
    expect(first.rows.map((r) => r.name)).toEqual(names.slice(0, 50));
    const second = await listCustomers(
      deps,
      ctx,
      { q: "sharm" },
      { sort: "name", size: 50, after: first.next! },
    );
    expect(second.rows.map((r) => r.name)).toEqual(names.slice(50, 100));
  });

  it("lists only their own customers to a member who sees only those, unfiltered or searched", async () => {
    const deps = testDeps(db.current);
    const { business, owner } = await buildBusiness(db.current.models);
    const { user: seller, membership } = await buildMember(db.current.models, business, "sales");
    await buildCustomer(db.current.models, business, { name: "Mine Kumar", ownerId: seller.id });
    await buildCustomer(db.current.models, business, { name: "Theirs Kumar", ownerId: owner.id });
    const ctx = await contextFor(db.current, business, seller);
    expect(ctx.membership.id).toBe(membership.id);
    for (const filter of [{}, { q: "kumar" }] as CustomerFilter[]) {
      const page = await listCustomers(deps, ctx, filter, { sort: "name", size: 25 });
      expect(page.rows.map((r) => r.name)).toEqual(["Mine Kumar"]);
      expect(page.total).toBe(1);
    }
  });
});
