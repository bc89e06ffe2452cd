import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Lead scoring rules and round-robin assignment (issue 12, items 3 and 4), plus two lead columns:
 * score_override (a score set by hand, which wins over the rules while set) and answers (the
 * latest form answers as JSON keyed by field key, which scoring rules can test).
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  await qi.addColumn("leads", "score_override", { type: DataTypes.INTEGER, allowNull: true });
  await qi.addColumn("leads", "answers", { type: DataTypes.TEXT, allowNull: true });

  await qi.createTable(
    "lead_scoring_rules",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // What the rule looks at: field, source, campaign, answer or engagement.
      subject: { type: DataTypes.STRING(16), allowNull: false },
      // A lead field name, a form field key, or the lead event kinds counted (comma-separated).
      field: { type: DataTypes.STRING(100), allowNull: true },
      // equals, contains, is_set, greater_than.
      operator: { type: DataTypes.STRING(16), allowNull: false },
      value: { type: DataTypes.STRING(200), allowNull: true },
      points: { type: DataTypes.INTEGER, allowNull: false },
      position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("lead_scoring_rules", ["business_id", "position", "id"], {
    name: "lead_scoring_rules_business",
  });

  // One row per business: the switch and the turn counter. The turn is bumped with one UPDATE in
  // the transaction that writes the lead, so two leads never take the same turn.
  await qi.createTable(
    "lead_assignment_settings",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      turn: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("lead_assignment_settings", ["business_id"], {
    unique: true,
    name: "lead_assignment_settings_business_unique",
  });

  await qi.createTable(
    "lead_assignment_members",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users"),
      available: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("lead_assignment_members", ["business_id", "user_id"], {
    unique: true,
    name: "lead_assignment_members_business_user_unique",
  });
};

export const down: Migration = async ({ context: qi }) => {
  for (const table of [
    "lead_assignment_members",
    "lead_assignment_settings",
    "lead_scoring_rules",
  ]) {
    await qi.dropTable(table);
  }
  // SQLite 3.35+ drops a column in place (Sequelize would rebuild the table and cascade).
  for (const column of ["answers", "score_override"]) {
    if (qi.sequelize.getDialect() === "sqlite")
      await qi.sequelize.query(`ALTER TABLE leads DROP COLUMN ${column}`);
    else await qi.removeColumn("leads", column);
  }
};
