import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** Server-side browser sessions; user/ip/agent columns let people see and revoke them. */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "sessions",
    {
      sid: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      user_id: columns.reference("users", { allowNull: true }),
      data: { type: DataTypes.TEXT, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      last_seen_at: { type: DataTypes.DATE, allowNull: false },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      user_agent: { type: DataTypes.STRING(255), allowNull: true },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("sessions", ["expires_at"], { name: "sessions_expires_at" });
  await qi.addIndex("sessions", ["user_id", "last_seen_at"], { name: "sessions_user_last_seen" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("sessions");
};
