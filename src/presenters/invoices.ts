import type { InvoiceSummary } from "../commands/invoices";
import { formatAmount } from "../commands/invoices/tax";

/** A row of the invoice list partial (views/partials/invoices/list.hbs). */
export interface InvoiceRow {
  id: number;
  number: string;
  kindLabel: string;
  isCredit: boolean;
  issuedOn: string;
  creditForNumber: string | null;
  taxable: string;
  tax: string;
  total: string;
  pdfPath: string | null;
}

/** Amounts as "₹1,178.82" (a credit note's as what it takes back: "−₹1,178.82"). */
function rupees(minor: number, negative: boolean): string {
  return `${negative ? "−" : ""}₹${formatAmount(minor)}`;
}

export function presentInvoiceRow(summary: InvoiceSummary): InvoiceRow {
  const isCredit = summary.kind === "credit_note";
  return {
    id: summary.id,
    number: summary.number,
    kindLabel: isCredit ? "Credit note" : "Invoice",
    isCredit,
    issuedOn: summary.issuedOn,
    creditForNumber: summary.creditForNumber,
    taxable: rupees(summary.taxableMinor, isCredit),
    tax: rupees(summary.taxMinor, isCredit),
    total: rupees(summary.totalMinor, isCredit),
    pdfPath: summary.pdfPath,
  };
}

/**
 * What the partial needs: `{{> invoices/list invoices=invoiceList}}` with
 * `invoiceList = presentInvoiceList(await listInvoices(deps, businessId))`.
 */
export function presentInvoiceList(summaries: InvoiceSummary[]) {
  return { rows: summaries.map(presentInvoiceRow), empty: summaries.length === 0 };
}
