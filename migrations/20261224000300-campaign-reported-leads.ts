import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * Leads a campaign's channel reported outside the CRM (an ad platform's lead count, an event's
 * sign-up sheet): entered like the actual spend and shown beside the leads the CRM counts itself.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("campaigns", "reported_leads", { type: DataTypes.INTEGER, allowNull: true });
};

export const down: Migration = async ({ context: qi }) => {
  if (qi.sequelize.getDialect() === "sqlite")
    await qi.sequelize.query("ALTER TABLE campaigns DROP COLUMN reported_leads");
  else await qi.removeColumn("campaigns", "reported_leads");
};
