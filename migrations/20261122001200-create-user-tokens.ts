import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** Single-use e-mailed tokens (activation, password reset, e-mail change); only a hash is kept. */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "user_tokens",
    {
      id: columns.id(),
      user_id: columns.reference("users"),
      purpose: { type: DataTypes.STRING(32), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      data: { type: DataTypes.STRING(255), allowNull: true },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      used_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("user_tokens", ["token_hash"], {
    unique: true,
    name: "user_tokens_hash_unique",
  });
  await qi.addIndex("user_tokens", ["user_id", "purpose"], { name: "user_tokens_user_purpose" });
  await qi.addIndex("user_tokens", ["expires_at"], { name: "user_tokens_expires_at" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("user_tokens");
};
