import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Personal API tokens: a member's credential for one business, with scopes and an expiry. Only
 * the SHA-256 of the token is kept; `token_hint` is its recognisable start, shown in the list.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "personal_tokens",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users"),
      name: { type: DataTypes.STRING(80), allowNull: false },
      token_hint: { type: DataTypes.STRING(24), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      scopes: { type: DataTypes.STRING(1000), allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: true },
      last_used_at: { type: DataTypes.DATE, allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("personal_tokens", ["token_hash"], {
    unique: true,
    name: "personal_tokens_hash_unique",
  });
  await qi.addIndex("personal_tokens", ["business_id", "user_id"], {
    name: "personal_tokens_business_user",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("personal_tokens");
};
