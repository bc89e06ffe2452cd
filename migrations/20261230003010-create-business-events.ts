import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Feature events for the activity feed (issue 15) that no event table of their own records: a
 * campaign that finished sending, a social post published or failed on one network. One row per
 * event, written by the feature through commands/activityEvents.ts. The feed reads a source's
 * newest rows of a business: (business_id, source, created_at, id).
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "business_events",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      source: { type: DataTypes.STRING(20), allowNull: false },
      kind: { type: DataTypes.STRING(40), allowNull: false },
      actor_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      subject_id: { type: DataTypes.INTEGER, allowNull: false },
      subject_name: { type: DataTypes.STRING(200), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions(qi),
  );
  await qi.addIndex("business_events", ["business_id", "source", "created_at", "id"], {
    name: "business_events_business_source_created",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("business_events");
};
