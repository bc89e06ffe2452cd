import { DataTypes } from "sequelize";
import type { Migration } from "../src/db/migrator";

/**
 * When the invoice of a captured payment was requested: set after requestInvoice returns, so a
 * process that died between the capture's commit and the request is healed by the next report
 * of the same payment (the invoices area is idempotent per payment either way).
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.addColumn("payments", "invoice_requested_at", {
    type: DataTypes.DATE(3),
    allowNull: true,
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeColumn("payments", "invoice_requested_at");
};
