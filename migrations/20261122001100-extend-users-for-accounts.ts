import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("users", "google_id", { type: DataTypes.STRING(191), allowNull: true });
  await qi.addColumn("users", "avatar_path", { type: DataTypes.STRING(255), allowNull: true });
  await qi.addColumn("users", "notification_prefs", { type: DataTypes.TEXT, allowNull: true });
  await qi.addColumn("users", "plan_code", {
    type: DataTypes.STRING(32),
    allowNull: false,
    defaultValue: "free",
  });
  await qi.addColumn("users", "password_changed_at", { type: DataTypes.DATE, allowNull: true });
  await qi.addIndex("users", ["google_id"], { unique: true, name: "users_google_id_unique" });
  await qi.addColumn("sessions", "kind", {
    type: DataTypes.STRING(16),
    allowNull: false,
    defaultValue: "browser",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeColumn("sessions", "kind");
  await qi.removeIndex("users", "users_google_id_unique");
  for (const column of [
    "password_changed_at",
    "plan_code",
    "notification_prefs",
    "avatar_path",
    "google_id",
  ]) {
    await qi.removeColumn("users", column);
  }
};
