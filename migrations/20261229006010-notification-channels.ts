import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * Notification channels (issue 15, item 4): a notification the person wants only by e-mail is kept
 * out of the bell and the list (in_app false), and one to be e-mailed waits as mail_status
 * 'pending' until the batched mail sweep sends it with the others of the same few minutes
 * ('sent'); null: no e-mail from the sweep (not wanted, or the feature mails it itself).
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("notifications", "in_app", {
    type: DataTypes.BOOLEAN,
    allowNull: false,
    defaultValue: true,
  });
  await qi.addColumn("notifications", "mail_status", {
    type: DataTypes.STRING(8),
    allowNull: true,
  });
  await qi.addIndex("notifications", ["mail_status", "id"], { name: "notifications_mail_due" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("notifications", "notifications_mail_due");
  await qi.removeColumn("notifications", "mail_status");
  await qi.removeColumn("notifications", "in_app");
};
