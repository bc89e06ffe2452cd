import type { Deps } from "../../deps";

/** The invoices area's public shapes (index.ts re-exports them; issue.ts and list.ts use them). */

export type InvoiceKind = "invoice" | "credit_note";

/** One line of an invoice: the taxable amount in paise, before GST. */
export interface InvoiceLineInput {
  description: string;
  /** Services Accounting Code; defaults to the configured SAC (998314) when empty. */
  sac?: string;
  /** Taxable value in paise (integer, > 0). */
  amountMinor: number;
}

/** The buyer as printed on the invoice. When left out, the business's saved billing details are used. */
export interface InvoiceBuyerInput {
  name: string;
  address?: string;
  /** Optional 15-character GSTIN; its first two digits give the place of supply. */
  gstin?: string | null;
  /** Two-digit state code used as place of supply when there is no GSTIN. */
  stateCode?: string | null;
}

export interface RequestInvoiceInput {
  businessId: number;
  /** The payment (or refund) this document is for; with `kind` and the business, its idempotency key. */
  paymentRef: string;
  kind: InvoiceKind;
  /** For a credit note: the paymentRef of the invoice being credited. */
  creditFor?: string;
  lines: InvoiceLineInput[];
  buyer?: InvoiceBuyerInput;
}

export interface InvoiceSummary {
  id: number;
  kind: InvoiceKind;
  /** e.g. "INV/2627/000001" or "CN/2627/000001". */
  number: string;
  /** ISO date (IST calendar day) of issue. */
  issuedOn: string;
  paymentRef: string;
  /** Number of the invoice a credit note refers to. */
  creditForNumber: string | null;
  taxableMinor: number;
  taxMinor: number;
  totalMinor: number;
  currency: "INR";
  /** "pending" until the PDF job has rendered it, then "ready". */
  pdfStatus: "pending" | "ready";
  /** Download path (owner/billing permission), present when the PDF is ready. */
  pdfPath: string | null;
}

export type InvoiceDeps = Pick<
  Deps,
  "models" | "sequelize" | "clock" | "config" | "jobs" | "logger"
>;
