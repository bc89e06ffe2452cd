import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

export const up: Migration = async ({ context: qi }) => {
  // A person's own security and key-action log ("my activity").
  await qi.createTable(
    "activity_logs",
    {
      id: columns.id(),
      user_id: columns.reference("users"),
      business_id: columns.reference("businesses", { allowNull: true, onDelete: "SET NULL" }),
      action: { type: DataTypes.STRING(64), allowNull: false },
      ip: { type: DataTypes.STRING(64), allowNull: true },
      user_agent: { type: DataTypes.STRING(255), allowNull: true },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    tableOptions(qi),
  );
  await qi.addIndex("activity_logs", ["user_id", "created_at"], {
    name: "activity_logs_user_created",
  });

  // API refresh tokens: rotated on use; a reused one revokes its whole family (session_sid).
  await qi.createTable(
    "refresh_tokens",
    {
      id: columns.id(),
      user_id: columns.reference("users"),
      session_sid: { type: DataTypes.STRING(64), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: { type: DataTypes.DATE, allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("refresh_tokens", ["token_hash"], {
    unique: true,
    name: "refresh_tokens_hash_unique",
  });
  await qi.addIndex("refresh_tokens", ["session_sid"], { name: "refresh_tokens_session" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("refresh_tokens");
  await qi.dropTable("activity_logs");
};
