import type { Migration } from "../src/db/migrator";

/** The reconciler's look-up of SLA targets still owed a reminder, across businesses, by due time. */
export const up: Migration = async ({ context: qi }) => {
  await qi.addIndex("tickets", ["status", "first_response_due_at"], {
    name: "tickets_status_first_response_due",
  });
  await qi.addIndex("tickets", ["status", "resolution_due_at"], {
    name: "tickets_status_resolution_due",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("tickets", "tickets_status_first_response_due");
  await qi.removeIndex("tickets", "tickets_status_resolution_due");
};
