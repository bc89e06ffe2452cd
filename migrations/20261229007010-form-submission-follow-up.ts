import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * `form_submissions.processed_at`: when the submission's follow-up (owner turn, score, timeline,
 * webhooks, counter, notification) ran. A public POST saves the lead and the submission only; a
 * row with no processed_at is follow-up still owed, which the reconciler queues again, and the
 * job claims it with `processed_at IS NULL` so it runs once. Submissions made before this
 * column had their follow-up inline: they count as processed.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("form_submissions", "processed_at", {
    type: DataTypes.DATE,
    allowNull: true,
  });
  await qi.sequelize.query("UPDATE form_submissions SET processed_at = created_at");
  await qi.addIndex("form_submissions", ["processed_at"], {
    name: "form_submissions_processed",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("form_submissions", "form_submissions_processed");
  if (qi.sequelize.getDialect() === "sqlite") {
    await qi.sequelize.query("ALTER TABLE form_submissions DROP COLUMN processed_at");
    return;
  }
  await qi.removeColumn("form_submissions", "processed_at");
};
