/**
 * GST invoices and credit notes (CGST Rule 46). The billing area calls `requestInvoice` when a
 * payment is captured (once) and when a refund is processed (a credit note), and renders
 * `listInvoices` on /billing (or includes the partial views/partials/invoices/list.hbs with
 * presentInvoiceList from src/presenters/invoices.ts). See README "GST invoices" and
 * docs/decisions.md.
 */
import type { Deps } from "../../deps";
import { issueInvoice } from "./issue";
import { listInvoiceSummaries } from "./list";
import type { InvoiceDeps, InvoiceSummary, RequestInvoiceInput } from "./types";

export type {
  InvoiceBuyerInput,
  InvoiceDeps,
  InvoiceKind,
  InvoiceLineInput,
  InvoiceSummary,
  RequestInvoiceInput,
} from "./types";

/**
 * Writes the invoice (or credit note) row with its number in one transaction, idempotent per
 * (business, paymentRef, kind), then enqueues the PDF job. A second call with the same key does
 * nothing (it re-queues the PDF job if that is still owed). Bad input: AppError
 * "validation_failed" naming each field, nothing written. A credit note names the invoice's
 * paymentRef in `creditFor`; with no lines it credits everything still uncredited.
 */
export async function requestInvoice(deps: InvoiceDeps, input: RequestInvoiceInput): Promise<void> {
  await issueInvoice(deps, input);
}

/** The business's invoices and credit notes, newest first, for the /billing page. */
export async function listInvoices(
  deps: Pick<Deps, "models">,
  businessId: number,
): Promise<InvoiceSummary[]> {
  return listInvoiceSummaries(deps, businessId);
}
