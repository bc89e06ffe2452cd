import { Op } from "sequelize";
import { useTestDatabase } from "../../../test/support/database";
import { buildBusiness, buildCustomer } from "../../../test/factories";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tagCondition } from "./filter";

describe("tag filter plans", () => {
  const db = useTestDatabase();

  it("finds the same customers whether a tag is collected first or checked row by row", async () => {
    const { sequelize, models } = db.current;
    const { business } = await buildBusiness(models);
    const names = ["vip", "retail"];
    await buildCustomer(models, business, { name: "Both", tags: names });
    await buildCustomer(models, business, { name: "Vip only", tags: ["vip"] });
    await buildCustomer(models, business, { name: "Retail only", tags: ["retail"] });
    await buildCustomer(models, business, { name: "None" });
    const scope = businessScope(business.id);
    const ids = (
      await models.Tag.findAll({ where: tenantWhere(scope, models.Tag, { name: names }) })
    ).map((t) => t.id);
    const found = async (all: boolean, threshold: number) => {
      const condition = await tagCondition({ sequelize }, scope, ids, all, threshold);
      const rows = await models.Customer.findAll({
        where: tenantWhere(scope, models.Customer, { [Op.and]: [condition] }),
        order: [["nameKey", "ASC"]],
      });
      return rows.map((r) => r.name);
    };
    // threshold 1: every tag counts as common → per-row checks; 1000: collected first.
    for (const threshold of [1, 1000]) {
      expect(await found(false, threshold)).toEqual(["Both", "Retail only", "Vip only"]);
      expect(await found(true, threshold)).toEqual(["Both"]);
    }
  });
});
