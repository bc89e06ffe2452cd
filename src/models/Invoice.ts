import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";

export const invoiceKinds = ["invoice", "credit_note"] as const;
export type InvoiceKind = (typeof invoiceKinds)[number];
/** intra: CGST + SGST (supplier and place of supply in one state); inter: IGST. */
export type TaxMode = "intra" | "inter";
export type PdfStatus = "pending" | "ready";

/** A GST invoice or credit note, frozen at issue (see commands/invoices). */
export class Invoice extends Model<InferAttributes<Invoice>, InferCreationAttributes<Invoice>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare kind: InvoiceKind;
  declare series: string;
  declare financialYear: string;
  declare serial: number;
  declare number: string;
  declare paymentRef: string;
  declare creditForId: number | null;
  declare issuedAt: Date;
  declare issuedOn: string;
  declare supplierName: string;
  declare supplierAddress: string;
  declare supplierGstin: string;
  declare buyerName: string;
  declare buyerAddress: string;
  declare buyerGstin: string | null;
  declare placeOfSupply: string;
  declare taxMode: TaxMode;
  /** JSON of the computed lines (commands/invoices/tax.ts TaxedLine[]). */
  declare lines: string;
  declare taxableMinor: number;
  declare cgstMinor: number;
  declare sgstMinor: number;
  declare igstMinor: number;
  declare totalMinor: number;
  declare currency: string;
  declare pdfStatus: PdfStatus;
  declare mailedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Invoice {
    return Invoice.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(12), allowNull: false },
        series: { type: DataTypes.STRING(4), allowNull: false },
        financialYear: { type: DataTypes.STRING(4), allowNull: false },
        serial: { type: DataTypes.INTEGER, allowNull: false },
        number: { type: DataTypes.STRING(16), allowNull: false },
        paymentRef: { type: DataTypes.STRING(64), allowNull: false },
        creditForId: { type: DataTypes.INTEGER, allowNull: true },
        issuedAt: { type: DataTypes.DATE, allowNull: false },
        issuedOn: { type: DataTypes.STRING(10), allowNull: false },
        supplierName: { type: DataTypes.STRING(200), allowNull: false },
        supplierAddress: { type: DataTypes.STRING(500), allowNull: false },
        supplierGstin: { type: DataTypes.STRING(15), allowNull: false },
        buyerName: { type: DataTypes.STRING(200), allowNull: false },
        buyerAddress: { type: DataTypes.STRING(500), allowNull: false },
        buyerGstin: { type: DataTypes.STRING(15), allowNull: true },
        placeOfSupply: { type: DataTypes.STRING(2), allowNull: false },
        taxMode: { type: DataTypes.STRING(5), allowNull: false },
        lines: { type: DataTypes.TEXT, allowNull: false },
        taxableMinor: { type: DataTypes.INTEGER, allowNull: false },
        cgstMinor: { type: DataTypes.INTEGER, allowNull: false },
        sgstMinor: { type: DataTypes.INTEGER, allowNull: false },
        igstMinor: { type: DataTypes.INTEGER, allowNull: false },
        totalMinor: { type: DataTypes.INTEGER, allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        pdfStatus: { type: DataTypes.STRING(8), allowNull: false },
        mailedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "invoices", modelName: "Invoice" },
    );
  }
}

/** The platform's counter of one series in one financial year (commands/invoices/numbering.ts). */
export class InvoiceCounter extends Model<
  InferAttributes<InvoiceCounter>,
  InferCreationAttributes<InvoiceCounter>
> {
  declare id: CreationOptional<number>;
  declare series: string;
  declare financialYear: string;
  declare lastNumber: number;

  static initModel(sequelize: Sequelize): typeof InvoiceCounter {
    return InvoiceCounter.init(
      {
        id: idAttribute,
        series: { type: DataTypes.STRING(4), allowNull: false },
        financialYear: { type: DataTypes.STRING(4), allowNull: false },
        lastNumber: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { sequelize, tableName: "invoice_counters", modelName: "InvoiceCounter", timestamps: false },
    );
  }
}

/** The rendered PDF of an invoice (stored in the database: web and worker need no shared disk). */
export class InvoicePdf extends Model<
  InferAttributes<InvoicePdf>,
  InferCreationAttributes<InvoicePdf>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare invoiceId: number;
  declare content: Buffer;
  declare byteSize: number;
  declare createdAt: Date;

  static initModel(sequelize: Sequelize): typeof InvoicePdf {
    return InvoicePdf.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        invoiceId: { type: DataTypes.INTEGER, allowNull: false },
        content: { type: DataTypes.BLOB("medium"), allowNull: false },
        byteSize: { type: DataTypes.INTEGER, allowNull: false },
        createdAt: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize,
        tableName: "invoice_pdfs",
        modelName: "InvoicePdf",
        timestamps: false,
      },
    );
  }
}

/** Who a business's invoices are made out to: its legal name, address, GSTIN and state. */
export class BillingDetails extends Model<
  InferAttributes<BillingDetails>,
  InferCreationAttributes<BillingDetails>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare legalName: string;
  declare address: string;
  declare gstin: string | null;
  declare stateCode: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof BillingDetails {
    return BillingDetails.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        legalName: { type: DataTypes.STRING(200), allowNull: false },
        address: { type: DataTypes.STRING(500), allowNull: false },
        gstin: { type: DataTypes.STRING(15), allowNull: true },
        stateCode: { type: DataTypes.STRING(2), allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "billing_details", modelName: "BillingDetails" },
    );
  }
}
