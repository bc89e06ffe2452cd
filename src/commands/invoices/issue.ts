import { UniqueConstraintError, type Transaction } from "sequelize";
import type { Config } from "../../config";
import { AppError } from "../../errors";
import { gstinStateCode } from "../../lib/gstin";
import type { Invoice, InvoiceKind, TaxMode } from "../../models";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import type { InvoiceDeps, RequestInvoiceInput } from "./types";
import { parseRequest, type RequestInput } from "./input";
import {
  ensureInvoiceCounter,
  financialYearOf,
  formatInvoiceNumber,
  istDate,
  nextInvoiceSerial,
  seriesOf,
} from "./numbering";
import { dispatchInvoicePdf } from "./render";
import { taxLine, taxModeFor, totalsOf, type TaxedLine } from "./tax";

/** Who the document is made out to, with the place of supply it implies. */
interface Buyer {
  name: string;
  address: string;
  gstin: string | null;
  placeOfSupply: string;
}

export function supplierOf(config: Config) {
  return {
    name: config.INVOICE_SUPPLIER_NAME,
    address: config.INVOICE_SUPPLIER_ADDRESS,
    gstin: config.INVOICE_SUPPLIER_GSTIN,
    stateCode: gstinStateCode(config.INVOICE_SUPPLIER_GSTIN),
  };
}

/**
 * The buyer of an invoice: as given by the caller, else the business's billing details, else the
 * business's name alone. Place of supply of a service (IGST Act s. 12(2)): the buyer's GSTIN state
 * when registered, else the state on record, else the supplier's own state (no address on record).
 */
async function buyerFor(
  deps: InvoiceDeps,
  input: RequestInput,
  supplierState: string,
): Promise<Buyer> {
  const placeOf = (gstin: string | null, stateCode: string | null | undefined) =>
    gstin ? gstinStateCode(gstin) : (stateCode ?? supplierState);
  if (input.buyer) {
    const { name, address, gstin, stateCode } = input.buyer;
    return { name, address: address ?? "", gstin, placeOfSupply: placeOf(gstin, stateCode) };
  }
  const scope = businessScope(input.businessId);
  const details = await deps.models.BillingDetails.findOne({
    where: tenantWhere(scope, deps.models.BillingDetails),
  });
  if (details) {
    return {
      name: details.legalName,
      address: details.address,
      gstin: details.gstin,
      placeOfSupply: placeOf(details.gstin, details.stateCode),
    };
  }
  const business = await deps.models.Business.findByPk(input.businessId);
  if (!business) throw AppError.notFound("No such business.");
  return { name: business.name, address: "", gstin: null, placeOfSupply: supplierState };
}

async function findByKey(
  deps: InvoiceDeps,
  businessId: number,
  paymentRef: string,
  kind: InvoiceKind,
  transaction?: Transaction,
): Promise<Invoice | null> {
  const { Invoice } = deps.models;
  return Invoice.findOne({
    where: tenantWhere(businessScope(businessId), Invoice, { paymentRef, kind }),
    transaction,
  });
}

/** What a credit note copies from its invoice: buyer, place of supply and tax treatment. */
interface CreditBasis {
  invoice: Invoice;
  buyer: Buyer;
  mode: TaxMode;
}

async function creditBasis(deps: InvoiceDeps, input: RequestInput): Promise<CreditBasis> {
  const invoice = await findByKey(deps, input.businessId, input.creditFor ?? "", "invoice");
  if (!invoice)
    throw AppError.validation(
      { creditFor: "No invoice of this business was issued for that payment." },
      "The credit note names no invoice.",
    );
  return {
    invoice,
    buyer: {
      name: invoice.buyerName,
      address: invoice.buyerAddress,
      gstin: invoice.buyerGstin,
      placeOfSupply: invoice.placeOfSupply,
    },
    mode: invoice.taxMode,
  };
}

/** Taxable value already credited against an invoice (read under the series lock). */
async function creditedTaxable(
  deps: InvoiceDeps,
  invoice: Invoice,
  transaction: Transaction,
): Promise<number> {
  const { Invoice: model } = deps.models;
  const notes = await model.findAll({
    where: tenantWhere(businessScope(invoice.businessId), model, {
      kind: "credit_note",
      creditForId: invoice.id,
    }),
    attributes: ["taxableMinor"],
    transaction,
  });
  return notes.reduce((sum, note) => sum + note.taxableMinor, 0);
}

/**
 * Issues an invoice or credit note: numbered and written in one transaction, idempotent per
 * (business, paymentRef, kind); the PDF is rendered afterwards by the render-invoice job. Returns
 * the document (the earlier one when this key was issued before).
 */
export async function issueInvoice(
  deps: InvoiceDeps,
  request: RequestInvoiceInput,
): Promise<Invoice> {
  const input = parseRequest(request);
  const earlier = await findByKey(deps, input.businessId, input.paymentRef, input.kind);
  if (earlier) {
    if (earlier.pdfStatus === "pending") await dispatchInvoicePdf(deps, earlier);
    return earlier;
  }
  const supplier = supplierOf(deps.config);
  const credit = input.kind === "credit_note" ? await creditBasis(deps, input) : null;
  const buyer = credit ? credit.buyer : await buyerFor(deps, input, supplier.stateCode);
  const mode = credit ? credit.mode : taxModeFor(supplier.stateCode, buyer.placeOfSupply);
  const lines: TaxedLine[] =
    input.lines.length > 0
      ? input.lines.map((line) =>
          taxLine({ ...line, sac: line.sac || deps.config.INVOICE_SAC }, mode),
        )
      : [];

  const now = deps.clock.now();
  const year = financialYearOf(now);
  const series = seriesOf[input.kind];
  await ensureInvoiceCounter(deps, series, year.code);

  let invoice: Invoice;
  try {
    invoice = await deps.sequelize.transaction(async (transaction) => {
      const serial = await nextInvoiceSerial(deps, series, year.code, transaction);
      let documentLines = lines;
      if (credit) {
        const remaining =
          credit.invoice.taxableMinor - (await creditedTaxable(deps, credit.invoice, transaction));
        // No lines: the whole value still uncredited (a full refund).
        if (documentLines.length === 0)
          documentLines = remaining > 0 ? creditAll(credit.invoice, remaining) : [];
        // A refund's taxable part worked out from its tax-inclusive amount can come out a paisa
        // or two above what is left (rounding): that is the rest of the invoice, not an error.
        const asked = totalsOf(documentLines).taxableMinor;
        if (remaining > 0 && asked > remaining && asked - remaining <= roundingTolerance)
          documentLines = creditAll(credit.invoice, remaining);
        const taxable = totalsOf(documentLines).taxableMinor;
        if (taxable <= 0 || taxable > remaining)
          throw AppError.validation(
            {
              lines: `At most ${remaining} paise of this invoice's taxable value is left to credit.`,
            },
            "The credit note is larger than what is left of the invoice.",
          );
      }
      const totals = totalsOf(documentLines);
      return deps.models.Invoice.create(
        {
          businessId: input.businessId,
          kind: input.kind,
          series,
          financialYear: year.code,
          serial,
          number: formatInvoiceNumber(series, year.code, serial),
          paymentRef: input.paymentRef,
          creditForId: credit ? credit.invoice.id : null,
          issuedAt: now,
          issuedOn: istDate(now),
          supplierName: supplier.name,
          supplierAddress: supplier.address,
          supplierGstin: supplier.gstin,
          buyerName: buyer.name,
          buyerAddress: buyer.address,
          buyerGstin: buyer.gstin,
          placeOfSupply: buyer.placeOfSupply,
          taxMode: mode,
          lines: JSON.stringify(documentLines),
          ...totals,
          currency: "INR",
          pdfStatus: "pending",
          mailedAt: null,
          createdAt: now,
          updatedAt: now,
        },
        { transaction },
      );
    });
  } catch (error) {
    // The same payment issued at the same moment elsewhere: its transaction won, ours rolled back
    // (and gave its serial back). Answer with the one that was written.
    if (!(error instanceof UniqueConstraintError)) throw error;
    const winner = await findByKey(deps, input.businessId, input.paymentRef, input.kind);
    if (!winner) throw error;
    return winner;
  }
  await dispatchInvoicePdf(deps, invoice);
  return invoice;
}

/** Paise a credit may ask above what is left of its invoice and still be the rest of it. */
export const roundingTolerance = 2;

/** A full credit of what is left of an invoice: its lines scaled to the remaining value. */
function creditAll(invoice: Invoice, remaining: number): TaxedLine[] {
  const original = JSON.parse(invoice.lines) as TaxedLine[];
  if (remaining === invoice.taxableMinor) return original;
  const first = original[0];
  return [
    taxLine(
      {
        description: `Credit against ${invoice.number}`,
        sac: first?.sac ?? "998314",
        amountMinor: remaining,
      },
      invoice.taxMode,
    ),
  ];
}
