import * as demoAccount from "../seeders/20261122000100-demo-account";
import * as demoBusiness from "../seeders/20261122001500-demo-business";
import * as demoCustomers from "../seeders/20261122002500-demo-customers";
import { useTestDatabase } from "./support/database";

/** The demo business's customers come from the sample workbook, through the import itself. */
const db = useTestDatabase();

describe("the demo customers seeder", () => {
  it("imports the sample workbook into Demo Traders once, with a few notes and tasks", async () => {
    const { sequelize, models } = db.current;
    const context = { sequelize, models, announce: () => undefined };
    const seed = { name: "demo", path: "", context };
    await demoAccount.up(seed);
    await demoBusiness.up(seed);
    await demoCustomers.up(seed);
    await demoCustomers.up(seed);

    const owner = await models.User.findOne({ where: { email: demoAccount.demoEmail } });
    const business = await models.Business.findOne({
      where: { ownerId: owner!.id, name: demoBusiness.demoBusinessName },
    });
    const imports = await models.Import.findAll({
      where: { businessId: business!.id, fileName: demoCustomers.sampleFile },
    });
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ status: "completed", createdCount: 100, failedCount: 0 });
    expect(await models.Customer.count({ where: { businessId: business!.id } })).toBe(100);
    expect(business!.customerCount).toBe(100);
    expect(await models.Note.count({ where: { businessId: business!.id } })).toBe(3);
    expect(await models.Task.count({ where: { businessId: business!.id } })).toBe(3);
  });
});
