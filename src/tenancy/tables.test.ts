import { useTestDatabase } from "../../test/support/database";
import { businessTable, ownerAttributes, tenantTables } from "./tables";

const db = useTestDatabase();

/** The list scoping relies on, checked against the migrated schema of this run's database. */
describe("tenant tables", () => {
  it("are exactly the tables with a business_id column", async () => {
    const qi = db.current.sequelize.getQueryInterface();
    const tables = (await qi.showAllTables()).map((t) =>
      typeof t === "string" ? t : (t as { tableName: string }).tableName,
    );
    const withBusiness: string[] = [];
    for (const table of tables) {
      const columns = await qi.describeTable(table);
      if ("business_id" in columns) withBusiness.push(table);
    }
    expect(withBusiness.sort()).toEqual(Object.keys(tenantTables).sort());
    expect(tables).toContain(businessTable);
  });

  it("name the models that map them, and owner attributes those models have", () => {
    const { models } = db.current;
    const byName = new Map(Object.values(models).map((model) => [model.name, model]));
    for (const [table, modelName] of Object.entries(tenantTables)) {
      const model = byName.get(modelName);
      expect({ table, model: model?.getTableName() }).toEqual({ table, model: table });
    }
    for (const [modelName, attributes] of Object.entries(ownerAttributes)) {
      const model = byName.get(modelName);
      for (const attribute of attributes)
        expect({ modelName, attribute, known: Boolean(model?.getAttributes()[attribute]) }).toEqual(
          { modelName, attribute, known: true },
        );
    }
  });
});
