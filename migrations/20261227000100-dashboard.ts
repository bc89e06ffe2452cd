import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Dashboard and activity feed (issue 15). The feed reads the newest events of a whole business
 * across its event tables; their indexes start with the record (customer, deal, lead, ticket), so
 * a business-wide "newest first" needs (business_id, created_at, id) on each. Customer timelines
 * get the kind in front: an import writes one "imported" event per row, which the feed leaves out,
 * and skipping a million of them on a created_at walk would cost seconds; the feed reads each kind
 * it shows from its own range instead. The first-run checklist's dismissal is one row per business.
 */
const feedIndexes = [
  ["timeline_events", "timeline_events_business_kind_created", ["kind"]],
  ["deal_events", "deal_events_business_created", []],
  ["lead_events", "lead_events_business_created", []],
  ["ticket_events", "ticket_events_business_created", []],
] as const;

export const up: Migration = async ({ context: qi }) => {
  for (const [table, name, lead] of feedIndexes)
    await qi.addIndex(table, ["business_id", ...lead, "created_at", "id"], { name });
  await qi.createTable(
    "dashboard_checklists",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      dismissed_at: { type: DataTypes.DATE, allowNull: true },
      dismissed_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("dashboard_checklists", ["business_id"], {
    unique: true,
    name: "dashboard_checklists_business_unique",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("dashboard_checklists");
  for (const [table, name] of feedIndexes) await qi.removeIndex(table, name);
};
