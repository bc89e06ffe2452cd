import type { Migration } from "../src/db/migrator";

/**
 * The top bar counts a member's unread notifications on every page: with read_at in the index
 * that COUNT reads only index entries, however many old notifications a person has.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addIndex("notifications", ["user_id", "business_id", "read_at"], {
    name: "notifications_user_unread",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("notifications", "notifications_user_unread");
};
