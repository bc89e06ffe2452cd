import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * `campaign_recipients.requested_at`: when the current attempt's request to the provider was about
 * to leave (set by the batch right before the request, cleared by each claim). After a crash a
 * claimed row with it set may have been taken by the provider — 'unknown', never sent again;
 * one without it never left — back to the queue (issue 11, Reliability).
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("campaign_recipients", "requested_at", {
    type: DataTypes.DATE,
    allowNull: true,
  });
};

export const down: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() === "sqlite") {
    await qi.sequelize.query("ALTER TABLE campaign_recipients DROP COLUMN requested_at");
    return;
  }
  await qi.removeColumn("campaign_recipients", "requested_at");
};
