import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Social network accounts a business connected through OAuth (LinkedIn, Facebook Page, Instagram
 * business account, X). Tokens are sealed with SECRETS_KEY (AES-256-GCM, src/lib/secretBox.ts);
 * the table never holds them in plain text.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "social_accounts",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // linkedin | facebook | instagram | x
      network: { type: DataTypes.STRING(16), allowNull: false },
      // LinkedIn author URN, Facebook Page id, Instagram user id or X user id.
      external_id: columns.indexedString(),
      display_name: { type: DataTypes.STRING(200), allowNull: false },
      access_token_sealed: { type: DataTypes.TEXT, allowNull: false },
      refresh_token_sealed: { type: DataTypes.TEXT, allowNull: true },
      // Null when the network issued a token without an expiry (Facebook Page tokens).
      token_expires_at: { type: DataTypes.DATE, allowNull: true },
      // Space-separated, as granted.
      scopes: { type: DataTypes.STRING(1000), allowNull: false, defaultValue: "" },
      // connected | needs_reconnect
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "connected" },
      last_error: { type: DataTypes.STRING(1000), allowNull: true },
      connected_by_user_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("social_accounts", ["business_id", "network", "external_id"], {
    unique: true,
    name: "social_accounts_business_network_external_unique",
  });
  // The refresh job looks for tokens expiring soon across businesses.
  await qi.addIndex("social_accounts", ["status", "token_expires_at"], {
    name: "social_accounts_status_expiry",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("social_accounts");
};
