import type { Deps } from "../../deps";
import type { Invoice } from "../../models";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import type { InvoiceSummary } from "./types";
import { invoicePdfPath } from "./render";

/** Documents shown on the billing page: the newest first, at most this many. */
export const invoiceListLimit = 200;

/** The business's invoices and credit notes, newest first (the billing page's history). */
export async function listInvoiceSummaries(
  deps: Pick<Deps, "models">,
  businessId: number,
): Promise<InvoiceSummary[]> {
  const { Invoice: model } = deps.models;
  const scope = businessScope(businessId);
  const rows = await model.findAll({
    where: tenantWhere(scope, model),
    attributes: { exclude: ["lines", "supplierAddress", "buyerAddress"] },
    order: [["id", "DESC"]],
    limit: invoiceListLimit,
  });
  const numbers = new Map(rows.map((row) => [row.id, row.number]));
  const missing = rows
    .map((row) => row.creditForId)
    .filter((id): id is number => id !== null && !numbers.has(id));
  if (missing.length > 0) {
    const originals = await model.findAll({
      where: tenantWhere(scope, model, { id: missing }),
      attributes: ["id", "number"],
    });
    for (const original of originals) numbers.set(original.id, original.number);
  }
  return rows.map((row) => summaryOf(row, numbers));
}

export function summaryOf(row: Invoice, numbers: Map<number, string>): InvoiceSummary {
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    issuedOn: row.issuedOn,
    paymentRef: row.paymentRef,
    creditForNumber: row.creditForId === null ? null : (numbers.get(row.creditForId) ?? null),
    taxableMinor: row.taxableMinor,
    taxMinor: row.cgstMinor + row.sgstMinor + row.igstMinor,
    totalMinor: row.totalMinor,
    currency: "INR",
    pdfStatus: row.pdfStatus,
    pdfPath: row.pdfStatus === "ready" ? invoicePdfPath(row) : null,
  };
}
