import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * An undo that keeps work done since (commands/imports/revert.ts):
 * - `imports.revert_customer_cursor`: the last customer id the undo has decided on (deleted or
 *   kept), advanced in the same transaction as the deletions, so a resumed undo starts after it;
 * - `imports.reverted_*_count`: what the undo did, for the import's history and the notification;
 * - `tags.import_id`: the import that created a tag, so the undo can remove the tags it created
 *   once no customer carries them. No foreign key, like customers.import_id.
 */
const counts = [
  "reverted_deleted_count",
  "reverted_restored_count",
  "reverted_kept_count",
  "reverted_tags_count",
];

export const up: Migration = async ({ context: qi }) => {
  const counter = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  await qi.addColumn("imports", "revert_customer_cursor", counter());
  for (const column of counts) await qi.addColumn("imports", column, counter());
  await qi.addColumn("tags", "import_id", { type: DataTypes.INTEGER, allowNull: true });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeColumn("tags", "import_id");
  for (const column of [...counts].reverse()) await qi.removeColumn("imports", column);
  await qi.removeColumn("imports", "revert_customer_cursor");
};
