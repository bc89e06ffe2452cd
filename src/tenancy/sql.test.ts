import {
  buildBusiness,
  buildCustomer,
  buildImport,
  buildMember,
  buildTag,
} from "../../test/factories";
import { useTestDatabase } from "../../test/support/database";
import { contextFor } from "../../test/support/deps";
import { businessScope } from "./scope";
import { tenantSql } from "./sql";

const db = useTestDatabase();

/** Two businesses with a customer each (both tagged "vip"), B's customer owned by a sales member. */
async function twoTenants() {
  const { models } = db.current;
  const { business: a } = await buildBusiness(models, { name: "Tenant A" });
  const { business: b } = await buildBusiness(models, { name: "Tenant B" });
  const { user: seller } = await buildMember(models, b, "sales");
  const ofA = await buildCustomer(models, a, { name: "Customer of A", tags: ["vip"] });
  const ofB = await buildCustomer(models, b, { name: "Customer of B", tags: ["vip"] });
  const sellers = await buildCustomer(models, b, { name: "Seller's own", ownerId: seller.id });
  return { a, b, seller, ofA, ofB, sellers };
}

describe("tenant SQL: statements it refuses to build", () => {
  const sql = () => tenantSql(db.current, businessScope(1));

  it.each([
    [
      "a tenant table without its marker",
      (s: Sql) => s.text`SELECT id FROM customers WHERE id = ${5}`,
    ],
    [
      "an UPDATE without it",
      (s: Sql) => s.text`UPDATE customers SET name = ${"x"} WHERE id = ${5}`,
    ],
    ["a DELETE without it", (s: Sql) => s.text`DELETE FROM customer_tags WHERE tag_id = ${5}`],
    [
      "a joined table left unscoped",
      (s: Sql) =>
        s.text`SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ${s.scoped("ct")}`,
    ],
    [
      "a subquery left unscoped",
      (s: Sql) =>
        s.text`SELECT id FROM customers c WHERE ${s.scoped("c")}
          AND id IN (SELECT customer_id FROM customer_tags WHERE tag_id = ${3})`,
    ],
    [
      "one marker for two uses of the same table",
      (s: Sql) =>
        s.text`SELECT customer_id FROM customer_tags WHERE ${s.scoped("customer_tags")}
          AND customer_id IN (SELECT customer_id FROM customer_tags WHERE tag_id = ${3})`,
    ],
    [
      "a comma join",
      (s: Sql) =>
        s.text`SELECT 1 FROM customers c, tags t WHERE ${s.scoped("c")} AND ${s.scoped("t")}`,
    ],
    [
      "the business row without its marker",
      (s: Sql) => s.text`UPDATE businesses SET name = ${"x"}`,
    ],
    [
      "a table named in a raw fragment",
      (s: Sql) => s.text`SELECT id FROM ${s.raw("customers")} WHERE id = ${1}`,
    ],
    ["a quoted table name", (s: Sql) => s.text`SELECT id FROM \`customers\` WHERE id = ${1}`],
    [
      "STRAIGHT_JOIN",
      (s: Sql) =>
        s.text`SELECT 1 FROM customers c STRAIGHT_JOIN tags t ON t.id = c.id WHERE ${s.scoped("c")}`,
    ],
    [
      "an INSERT into a tenant table without the business id",
      (s: Sql) =>
        s.text`INSERT INTO customer_tags (customer_id, tag_id) SELECT id, ${3} FROM customers c WHERE ${s.scoped("c")}`,
    ],
    [
      "a marker naming no table of the statement",
      (s: Sql) => s.text`SELECT id FROM customers WHERE ${s.scoped("c")}`,
    ],
    [
      "a marker on a table without business_id",
      (s: Sql) => s.text`SELECT id FROM users u WHERE ${s.scoped("u")}`,
    ],
  ])("%s", (_name, build) => {
    expect(() => build(sql())).toThrow(/tenantSql/);
  });

  it("refuses bulk rows that bring their own business_id, or a table without one", async () => {
    await db.current.sequelize.transaction(async (transaction) => {
      const s = tenantSql(db.current, businessScope(1), transaction);
      await expect(s.insertRows("tags", ["business_id", "name"], [[2, "x"]])).rejects.toThrow(
        /business_id comes from the scope/,
      );
      await expect(s.insertRows("users", ["name"], [["x"]])).rejects.toThrow(/not a tenant table/);
    });
  });

  it("builds statements that scope every tenant table, and reads values as values", () => {
    const s = sql();
    expect(s.text`SELECT id FROM users WHERE email = ${"a@example.test"}`).toBe(
      "SELECT id FROM users WHERE email = 'a@example.test'",
    );
    expect(
      s.text`SELECT ct.customer_id FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
        WHERE ${s.scoped("ct")} AND ${s.scoped("t")} AND t.name = ${"FROM customers"}`,
    ).toContain("(ct.business_id = 1) AND (t.business_id = 1) AND t.name = 'FROM customers'");
    expect(s.text`UPDATE businesses SET name = ${"x"} WHERE ${s.scoped("businesses")}`).toBe(
      "UPDATE businesses SET name = 'x' WHERE (businesses.id = 1)",
    );
    expect(s.text`SELECT 1 FROM tags t WHERE ${s.scoped("t")} AND id IN ${[]}`).toContain(
      "id IN (NULL)",
    );
  });
});

type Sql = ReturnType<typeof tenantSql>;

describe("tenant SQL on real tables", () => {
  it("returns only the tenant's rows, and limits sales to their own", async () => {
    const { models } = db.current;
    const { b, seller, ofA, ofB, sellers } = await twoTenants();
    const everyId = [ofA.id, ofB.id, sellers.id];
    const owner = tenantSql(db.current, await contextFor(db.current, b, { id: b.ownerId }));
    const found = await owner.select<{ id: number }>`
      SELECT c.id FROM customers c WHERE ${owner.scoped("c")} AND c.id IN ${everyId} ORDER BY c.id`;
    expect(found.map((r) => Number(r.id))).toEqual([ofB.id, sellers.id]);

    const sales = tenantSql(db.current, await contextFor(db.current, b, seller));
    const own = await sales.select<{ id: number }>`
      SELECT c.id FROM customers c WHERE ${sales.scoped("c")} AND c.id IN ${everyId}`;
    expect(own.map((r) => Number(r.id))).toEqual([sellers.id]);

    const tagged = await owner.select<{ name: string }>`
      SELECT c.name FROM customers c JOIN customer_tags ct ON ct.customer_id = c.id
      JOIN tags t ON t.id = ct.tag_id
      WHERE ${owner.scoped("c")} AND ${owner.scoped("ct")} AND ${owner.scoped("t")}
        AND t.name = ${"vip"}`;
    expect(tagged.map((r) => r.name)).toEqual(["Customer of B"]);
    expect(await models.Customer.count({ where: { id: everyId } })).toBe(3);
  });

  it("changes nothing of another tenant when handed its ids", async () => {
    const { models } = db.current;
    const { b, ofA, ofB } = await twoTenants();
    const sql = tenantSql(db.current, businessScope(b.id));
    const renamed = await sql.changed`
      UPDATE customers SET name = ${"Renamed"} WHERE ${sql.scoped("customers")}
        AND id IN ${[ofA.id, ofB.id]}`;
    expect(renamed).toBe(1);
    const deleted = await sql.changed`
      DELETE FROM customer_tags WHERE ${sql.scoped("customer_tags")} AND customer_id = ${ofA.id}`;
    expect(deleted).toBe(0);
    expect((await ofA.reload()).name).toBe("Customer of A");
    expect((await ofB.reload()).name).toBe("Renamed");
    expect(await models.CustomerTag.count({ where: { customerId: ofA.id } })).toBe(1);
  });

  it("puts the scope's business id into every inserted row", async () => {
    const { models, sequelize } = db.current;
    const { b, ofA, ofB } = await twoTenants();
    const tag = await buildTag(models, { businessId: b.id, name: "imported" });
    const record = await buildImport(models, { businessId: b.id });
    await sequelize.transaction(async (transaction) => {
      const sql = tenantSql(db.current, businessScope(b.id), transaction);
      await sql.insertRows(
        "timeline_events",
        ["customer_id", "actor_id", "kind", "details", "created_at"],
        [[ofB.id, null, "imported", null, new Date("2030-01-02T03:04:05Z")]],
      );
      const ids = await sql.insertTuplesWithIds(
        "import_errors",
        ["import_id", "source_row", "kind", "row_values", "messages"],
        [sql.literals.row([record.id, 2, "invalid", "[]", "[]"])],
      );
      expect(ids === null || ids.length === 1).toBe(true);
      // INSERT … SELECT copies within the scope only: A's customer is not there to copy.
      await sql.run`
        INSERT INTO customer_tags (customer_id, tag_id, business_id)
        SELECT c.id, ${tag.id}, ${sql.businessId} FROM customers c
        WHERE ${sql.scoped("c")} AND c.id = ${ofA.id}`;
    });
    const event = await models.TimelineEvent.findOne({
      where: { customerId: ofB.id, kind: "imported" },
    });
    expect(event?.businessId).toBe(b.id);
    const errors = await models.ImportRowError.findAll({ where: { importId: record.id } });
    expect(errors.map((e) => e.businessId)).toEqual([b.id]);
    expect(await models.CustomerTag.count({ where: { tagId: tag.id } })).toBe(0);
  });

  it("wraps a scoped model query (a capped count)", async () => {
    const { models } = db.current;
    const { b, seller } = await twoTenants();
    const sales = tenantSql(db.current, await contextFor(db.current, b, seller));
    const inner = sales.modelSelect(models.Customer, { attributes: ["id"], limit: 10 });
    const [row] = await sales.select<{
      n: number | string;
    }>`SELECT COUNT(*) AS n FROM ${inner} AS x`;
    expect(Number(row?.n)).toBe(1);
  });
});
