import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/** Per-business reminder settings: whether the daily birthday run creates "send wishes" tasks. */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("businesses", "wish_tasks", {
    type: DataTypes.BOOLEAN,
    allowNull: false,
    defaultValue: false,
  });
};

export const down: Migration = async ({ context: qi }) => {
  // Sequelize rebuilds a SQLite table to drop a column, and dropping `businesses` with foreign
  // keys on would cascade into every tenant table; SQLite 3.35+ drops the column in place.
  if (qi.sequelize.getDialect() === "sqlite") {
    await qi.sequelize.query("ALTER TABLE businesses DROP COLUMN wish_tasks");
    return;
  }
  await qi.removeColumn("businesses", "wish_tasks");
};
