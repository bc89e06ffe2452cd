import { importDemoCustomers, sampleFile } from "../seeders/20261122002500-demo-customers";
import { buildBusiness, buildUser } from "./factories";
import { useTestDatabase } from "./support/database";

/** The demo business's customers come from the sample workbook, through the import itself. */
const db = useTestDatabase();

describe("the demo customers seeder", () => {
  it("imports the sample workbook once, with a few notes and tasks", async () => {
    const { sequelize, models } = db.current;
    const owner = await buildUser(models, { planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, name: "Demo Traders" });
    const context = { sequelize, models, announce: () => undefined };
    await importDemoCustomers(context, owner, business);
    await importDemoCustomers(context, owner, business);

    const imports = await models.Import.findAll({ where: { businessId: business.id } });
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({
      fileName: sampleFile,
      status: "completed",
      createdCount: 100,
      failedCount: 0,
    });
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(100);
    expect((await business.reload()).customerCount).toBe(100);
    expect(await models.Note.count({ where: { businessId: business.id } })).toBe(3);
    expect(await models.Task.count({ where: { businessId: business.id } })).toBe(3);
  });
});
