import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "users",
    {
      id: columns.id(),
      name: { type: DataTypes.STRING(120), allowNull: false },
      email: columns.indexedString(),
      password_hash: { type: DataTypes.STRING(255), allowNull: true },
      activated_at: { type: DataTypes.DATE, allowNull: true },
      is_platform_admin: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("users", ["email"], { unique: true, name: "users_email_unique" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("users");
};
