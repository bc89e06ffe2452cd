import {
  buildBusiness,
  buildCustomer,
  buildImport,
  buildMember,
  buildTask,
} from "../../test/factories";
import { useTestDatabase } from "../../test/support/database";
import { contextFor } from "../../test/support/deps";
import { businessScope, findInBusiness, scopeOf, tenantWhere } from "./scope";

const db = useTestDatabase();

/** A business with a sales member and a manager, records of each, and a second business. */
async function world() {
  const { models } = db.current;
  const { business, owner } = await buildBusiness(models);
  const { user: seller } = await buildMember(models, business, "sales");
  const { user: manager } = await buildMember(models, business, "manager");
  const { business: other } = await buildBusiness(models);
  return {
    business,
    other,
    sales: await contextFor(db.current, business, seller),
    manager: await contextFor(db.current, business, manager),
    seller,
    owner,
    customers: {
      own: await buildCustomer(models, business, { ownerId: seller.id }),
      colleagues: await buildCustomer(models, business, { ownerId: owner.id }),
      otherBusiness: await buildCustomer(models, other),
    },
    tasks: {
      assigned: await buildTask(models, business, { assigneeId: seller.id }),
      written: await buildTask(models, business, { createdById: seller.id }),
      colleagues: await buildTask(models, business),
      otherBusiness: await buildTask(models, other),
    },
    imports: {
      started: await buildImport(models, { businessId: business.id, userId: seller.id }),
      colleagues: await buildImport(models, { businessId: business.id }),
    },
  };
}

describe("the scoping helper", () => {
  it("lets sales see only records they own, were given or started — nothing of another business", async () => {
    const { models } = db.current;
    const w = await world();
    const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id).sort((x, y) => x - y);
    const allCustomers = Object.values(w.customers).map((c) => c.id);
    const allTasks = Object.values(w.tasks).map((t) => t.id);
    const customers = await models.Customer.findAll({
      where: tenantWhere(w.sales, models.Customer, { id: allCustomers }),
    });
    expect(ids(customers)).toEqual([w.customers.own.id]);
    const tasks = await models.Task.findAll({
      where: tenantWhere(w.sales, models.Task, { id: allTasks }),
    });
    expect(ids(tasks)).toEqual(ids([w.tasks.assigned, w.tasks.written]));
    const imports = await models.Import.findAll({ where: tenantWhere(w.sales, models.Import) });
    expect(ids(imports)).toEqual([w.imports.started.id]);

    await expect(
      findInBusiness(w.sales, models.Customer, w.customers.colleagues.id),
    ).rejects.toMatchObject({ id: "not_found", status: 404 });
    await expect(
      findInBusiness(w.sales, models.Task, w.tasks.otherBusiness.id),
    ).rejects.toMatchObject({ status: 404 });
    expect((await findInBusiness(w.sales, models.Task, w.tasks.written.id)).id).toBe(
      w.tasks.written.id,
    );
  });

  it("sees the whole business when asked to (uniqueness checks), still nothing of another", async () => {
    const { models } = db.current;
    const w = await world();
    const everyone = Object.values(w.customers).map((c) => c.id);
    const whole = await models.Customer.count({
      where: tenantWhere(w.sales, models.Customer, { id: everyone }, { wholeBusiness: true }),
    });
    expect(whole).toBe(2);
    const found = await findInBusiness(w.sales, models.Customer, w.customers.colleagues.id, {
      wholeBusiness: true,
    });
    expect(found.id).toBe(w.customers.colleagues.id);
    expect(scopeOf(w.sales)).toEqual({ businessId: w.business.id, ownRecordsOf: w.seller.id });
    expect(scopeOf(w.sales, { wholeBusiness: true }).ownRecordsOf).toBeNull();
  });

  it("lets other roles, and the business's own work, see every record of the business", async () => {
    const { models } = db.current;
    const w = await world();
    const everyone = Object.values(w.customers).map((c) => c.id);
    for (const scoped of [w.manager, businessScope(w.business.id)]) {
      expect(
        await models.Customer.count({
          where: tenantWhere(scoped, models.Customer, { id: everyone }),
        }),
      ).toBe(2);
      await expect(
        findInBusiness(scoped, models.Customer, w.customers.otherBusiness.id),
      ).rejects.toMatchObject({ status: 404 });
    }
  });

  it("answers 404, not 500, for ids that are not ids", async () => {
    const w = await world();
    for (const bad of ["abc", "-1", "0", "1.5", "9".repeat(30), undefined]) {
      await expect(
        findInBusiness(w.manager, db.current.models.Customer, bad),
      ).rejects.toMatchObject({ status: 404 });
    }
  });

  it("refuses models without business_id and scopes without a business", () => {
    const { models } = db.current;
    expect(() => tenantWhere(businessScope(1), models.User)).toThrow(/not a tenant table/);
    expect(() => businessScope(0)).toThrow(/invalid business id/);
    expect(() => businessScope(Number.NaN)).toThrow(/invalid business id/);
  });
});
