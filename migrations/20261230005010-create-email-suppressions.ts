import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * E-mail addresses a business's marketing e-mail no longer goes to (issue 11): an address that
 * hard-bounced (SMTP 5xx at RCPT TO or DATA, or a permanent DSN). Keyed by the address, lower
 * case, not by the customer: a customer who changes their e-mail is reachable again, and another
 * customer with the same address is not. One row per business and address.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.createTable(
    "email_suppressions",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      email: { type: DataTypes.STRING(191), allowNull: false },
      reason: { type: DataTypes.STRING(500), allowNull: false },
      campaign_id: { type: DataTypes.INTEGER, allowNull: true },
      customer_id: { type: DataTypes.INTEGER, allowNull: true },
      created_at: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions(qi),
  );
  await qi.addIndex("email_suppressions", ["business_id", "email"], {
    unique: true,
    name: "email_suppressions_business_email",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("email_suppressions");
};
