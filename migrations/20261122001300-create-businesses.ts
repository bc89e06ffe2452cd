import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/** The tenant, its members and pending invitations. Tenant-owned indexes lead with business_id. */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "businesses",
    {
      id: columns.id(),
      // An owner cannot be deleted while they own a business.
      owner_id: columns.reference("users", { onDelete: "RESTRICT" }),
      name: { type: DataTypes.STRING(120), allowNull: false },
      category: { type: DataTypes.STRING(64), allowNull: true },
      description: { type: DataTypes.TEXT, allowNull: true },
      phone: { type: DataTypes.STRING(20), allowNull: true },
      whatsapp: { type: DataTypes.STRING(20), allowNull: true },
      country: { type: DataTypes.STRING(2), allowNull: false },
      time_zone: { type: DataTypes.STRING(64), allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("businesses", ["owner_id"], { name: "businesses_owner" });

  await qi.createTable(
    "memberships",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      user_id: columns.reference("users"),
      role: { type: DataTypes.STRING(16), allowNull: false },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("memberships", ["business_id", "user_id"], {
    unique: true,
    name: "memberships_business_user_unique",
  });
  await qi.addIndex("memberships", ["user_id"], { name: "memberships_user" });

  await qi.createTable(
    "invitations",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      email: columns.indexedString(),
      role: { type: DataTypes.STRING(16), allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false },
      invited_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      expires_at: { type: DataTypes.DATE, allowNull: false },
      accepted_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("invitations", ["business_id", "email"], {
    name: "invitations_business_email",
  });
  await qi.addIndex("invitations", ["token_hash"], {
    unique: true,
    name: "invitations_token_unique",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("invitations");
  await qi.dropTable("memberships");
  await qi.dropTable("businesses");
};
