import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * GST invoices and credit notes (CGST Rule 46): the platform's per-series, per-financial-year
 * counters (gapless numbers), the documents themselves with their supplier, buyer, place of
 * supply, lines and taxes frozen at issue, their rendered PDFs, and each business's billing
 * details (the buyer's name, address, GSTIN and state).
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);

  // One row per series ("INV", "CN") and financial year ("2627" for 2026-27), bumped in the
  // transaction that writes the document: a rolled-back document rolls its number back too. The
  // platform is the supplier, so numbers run across businesses: no business_id here.
  await qi.createTable(
    "invoice_counters",
    {
      id: columns.id(),
      series: { type: DataTypes.STRING(4), allowNull: false },
      financial_year: { type: DataTypes.STRING(4), allowNull: false },
      last_number: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    options,
  );
  await qi.addIndex("invoice_counters", ["series", "financial_year"], {
    unique: true,
    name: "invoice_counters_series_year_unique",
  });

  // business_id without a foreign key: tax invoices are kept for the statutory period (CGST Act
  // s. 36) even if the business is deleted, and a deleted invoice would leave a gap in the series.
  await qi.createTable(
    "invoices",
    {
      id: columns.id(),
      business_id: { type: DataTypes.INTEGER, allowNull: false },
      // invoice | credit_note
      kind: { type: DataTypes.STRING(12), allowNull: false },
      series: { type: DataTypes.STRING(4), allowNull: false },
      financial_year: { type: DataTypes.STRING(4), allowNull: false },
      serial: { type: DataTypes.INTEGER, allowNull: false },
      // INV/2627/000001: at most 16 characters of letters, digits, '-' and '/' (Rule 46(b)).
      number: { type: DataTypes.STRING(16), allowNull: false },
      // The payment (or refund) the document is for: with business and kind, the idempotency key.
      payment_ref: { type: DataTypes.STRING(64), allowNull: false },
      credit_for_id: columns.reference("invoices", { allowNull: true, onDelete: "RESTRICT" }),
      issued_at: { type: DataTypes.DATE, allowNull: false },
      // The IST calendar day of issue, as printed.
      issued_on: { type: DataTypes.STRING(10), allowNull: false },
      supplier_name: { type: DataTypes.STRING(200), allowNull: false },
      supplier_address: { type: DataTypes.STRING(500), allowNull: false },
      supplier_gstin: { type: DataTypes.STRING(15), allowNull: false },
      buyer_name: { type: DataTypes.STRING(200), allowNull: false },
      buyer_address: { type: DataTypes.STRING(500), allowNull: false },
      buyer_gstin: { type: DataTypes.STRING(15), allowNull: true },
      place_of_supply: { type: DataTypes.STRING(2), allowNull: false },
      // intra (CGST + SGST) | inter (IGST)
      tax_mode: { type: DataTypes.STRING(5), allowNull: false },
      // The lines with their taxes as computed at issue (JSON): the document never changes after.
      lines: { type: DataTypes.TEXT, allowNull: false },
      taxable_minor: { type: DataTypes.INTEGER, allowNull: false },
      cgst_minor: { type: DataTypes.INTEGER, allowNull: false },
      sgst_minor: { type: DataTypes.INTEGER, allowNull: false },
      igst_minor: { type: DataTypes.INTEGER, allowNull: false },
      total_minor: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      // pending until the render job has stored the PDF, then ready.
      pdf_status: { type: DataTypes.STRING(8), allowNull: false },
      mailed_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("invoices", ["number"], { unique: true, name: "invoices_number_unique" });
  await qi.addIndex("invoices", ["series", "financial_year", "serial"], {
    unique: true,
    name: "invoices_series_year_serial_unique",
  });
  await qi.addIndex("invoices", ["business_id", "payment_ref", "kind"], {
    unique: true,
    name: "invoices_business_payment_kind_unique",
  });
  await qi.addIndex("invoices", ["business_id", "id"], { name: "invoices_business_id" });
  await qi.addIndex("invoices", ["pdf_status"], { name: "invoices_pdf_status" });

  await qi.createTable(
    "invoice_pdfs",
    {
      id: columns.id(),
      business_id: { type: DataTypes.INTEGER, allowNull: false },
      invoice_id: columns.reference("invoices", { onDelete: "RESTRICT" }),
      // A few KB each; MEDIUMBLOB on MySQL (16 MB) so a long invoice never truncates.
      content: { type: DataTypes.BLOB("medium"), allowNull: false },
      byte_size: { type: DataTypes.INTEGER, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("invoice_pdfs", ["invoice_id"], {
    unique: true,
    name: "invoice_pdfs_invoice_unique",
  });
  await qi.addIndex("invoice_pdfs", ["business_id"], { name: "invoice_pdfs_business" });

  await qi.createTable(
    "billing_details",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      legal_name: { type: DataTypes.STRING(200), allowNull: false },
      address: { type: DataTypes.STRING(500), allowNull: false },
      gstin: { type: DataTypes.STRING(15), allowNull: true },
      // The buyer's state: the GSTIN's first two digits, or the state chosen without a GSTIN.
      state_code: { type: DataTypes.STRING(2), allowNull: false },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("billing_details", ["business_id"], {
    unique: true,
    name: "billing_details_business_unique",
  });
};

export const down: Migration = async ({ context: qi }) => {
  for (const table of ["billing_details", "invoice_pdfs", "invoices", "invoice_counters"]) {
    await qi.dropTable(table);
  }
};
