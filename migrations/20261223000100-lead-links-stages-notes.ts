import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Leads, second part (issue 12, items 2, 5, 6):
 * - `deals.lead_id`, `leads.customer_id`, `leads.deal_id`: a conversion links the three, so
 *   attribution (campaign → lead → deal → revenue) survives. SET NULL: deleting a deal or customer
 *   never deletes a lead, and deleting a lead keeps the deal.
 * - `lead_stages`: each business's own stage list, keyed by the codes leads.stage already stores.
 * - `lead_notes`: notes on a lead (customer notes require a customer, so leads get their own).
 * - `tasks.lead_id`: tasks made on a lead page or by a nurture sequence; they stay ordinary tasks.
 * - `tasks.nurture_key`: "<run>:<lead>:<step>" of a nurture run; unique per business, so running
 *   the same confirmation twice creates nothing more (NULLs repeat freely on both dialects).
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  const link = (table: string) =>
    columns.reference(table, { allowNull: true, onDelete: "SET NULL" });

  await qi.addColumn("deals", "lead_id", link("leads"));
  await qi.addIndex("deals", ["business_id", "lead_id"], { name: "deals_business_lead" });
  await qi.addColumn("leads", "customer_id", link("customers"));
  await qi.addColumn("leads", "deal_id", link("deals"));

  await qi.addColumn("tasks", "lead_id", link("leads"));
  await qi.addIndex("tasks", ["business_id", "lead_id"], { name: "tasks_business_lead" });
  await qi.addColumn("tasks", "nurture_key", { type: DataTypes.STRING(100), allowNull: true });
  await qi.addIndex("tasks", ["business_id", "nurture_key"], {
    unique: true,
    name: "tasks_business_nurture_key_unique",
  });

  await qi.createTable(
    "lead_stages",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // The code leads.stage stores; the built-in ones keep theirs (new, contacted, …).
      code: { type: DataTypes.STRING(16), allowNull: false },
      name: { type: DataTypes.STRING(60), allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false },
      // entry (New), open, converted or lost: what the stage means, whatever it is called.
      kind: { type: DataTypes.STRING(10), allowNull: false },
      ...columns.timestamps(),
    },
    options,
  );
  // Also what makes creating a business's default stages safe under concurrency.
  await qi.addIndex("lead_stages", ["business_id", "code"], {
    unique: true,
    name: "lead_stages_business_code_unique",
  });

  await qi.createTable(
    "lead_notes",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      lead_id: columns.reference("leads"),
      author_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      body: { type: DataTypes.TEXT, allowNull: false },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("lead_notes", ["business_id", "lead_id", "id"], {
    name: "lead_notes_business_lead",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("lead_notes");
  await qi.dropTable("lead_stages");
  if (qi.sequelize.getDialect() === "mysql") {
    await qi.removeIndex("tasks", "tasks_business_nurture_key_unique");
    await qi.removeColumn("tasks", "nurture_key");
    await qi.removeIndex("tasks", "tasks_business_lead");
    await qi.removeColumn("tasks", "lead_id");
    await qi.removeColumn("leads", "deal_id");
    await qi.removeColumn("leads", "customer_id");
    await qi.removeIndex("deals", "deals_business_lead");
    await qi.removeColumn("deals", "lead_id");
  } else {
    // SQLite (3.35+) drops a column in place once nothing indexes it; Sequelize would rebuild the table.
    for (const sql of [
      "DROP INDEX tasks_business_nurture_key_unique",
      "ALTER TABLE tasks DROP COLUMN nurture_key",
      "DROP INDEX tasks_business_lead",
      "ALTER TABLE tasks DROP COLUMN lead_id",
      "ALTER TABLE leads DROP COLUMN deal_id",
      "ALTER TABLE leads DROP COLUMN customer_id",
      "DROP INDEX deals_business_lead",
      "ALTER TABLE deals DROP COLUMN lead_id",
    ]) {
      await qi.sequelize.query(sql);
    }
  }
};
