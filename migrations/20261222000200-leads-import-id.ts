import { DataTypes } from "sequelize";
import { dropMysqlForeignKeys } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** leads.import_id names the import that created a lead (like customers.import_id): undo deletes those. */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("leads", "import_id", {
    type: DataTypes.INTEGER,
    allowNull: true,
    references: { model: "imports", key: "id" },
    onDelete: "SET NULL",
  });
  await qi.addIndex("leads", ["import_id"], { name: "leads_import" });
};

export const down: Migration = async ({ context: qi }) => {
  // The foreign key goes first on MySQL: it relies on leads_import, the only index on import_id.
  await dropMysqlForeignKeys(qi, "leads", "import_id");
  await qi.removeIndex("leads", "leads_import");
  if (qi.sequelize.getDialect() === "sqlite") {
    await qi.sequelize.query("ALTER TABLE leads DROP COLUMN import_id");
    return;
  }
  await qi.removeColumn("leads", "import_id");
};
