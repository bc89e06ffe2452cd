import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * What the dashboard remembers between views (commands/dashboard/remembered.ts) is keyed by these
 * two numbers, raised in the same transaction by every write that changes what was counted:
 * customers of past weeks (deleted, merged, reassigned, an import undone) and deals per stage.
 * At 1M customers and 100k deals those counts read 150k and 110k index entries per view.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("businesses", "customers_version", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
  await qi.addColumn("businesses", "deals_version", {
    type: DataTypes.INTEGER,
    allowNull: false,
    defaultValue: 0,
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeColumn("businesses", "deals_version");
  await qi.removeColumn("businesses", "customers_version");
};
