import PDFDocument from "pdfkit";
import { stateLabel } from "../../lib/gstin";
import type { Invoice } from "../../models";
import { financialYearLabel } from "./numbering";
import { formatAmount, gstRatePercent, halfRatePercent, type TaxedLine } from "./tax";

/** What the PDF shows beyond the invoice row itself. */
export interface PdfExtras {
  /** Number and date of the invoice a credit note credits. */
  creditFor: { number: string; issuedOn: string } | null;
}

const pageMargin = 40;

/**
 * Renders an invoice or credit note as an A4 PDF with every particular Rule 46 asks for: supplier
 * and recipient name, address and GSTIN, the number and date, SAC, taxable value, rate and amount
 * of each tax head, place of supply with its state, reverse charge, and the total. Deterministic:
 * the document's dates are the invoice's, so rendering it again gives the same text.
 */
export function renderInvoicePdf(invoice: Invoice, extras: PdfExtras): Promise<Buffer> {
  const isCredit = invoice.kind === "credit_note";
  const title = isCredit ? "Credit Note" : "Tax Invoice";
  const doc = new PDFDocument({
    size: "A4",
    margin: pageMargin,
    info: {
      Title: `${title} ${invoice.number}`,
      Author: invoice.supplierName,
      CreationDate: invoice.issuedAt,
      ModDate: invoice.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const width = doc.page.width - pageMargin * 2;
  doc.font("Helvetica-Bold").fontSize(18).text(title, { align: "right" });
  doc.font("Helvetica").fontSize(9);
  doc.text(`${isCredit ? "Credit note" : "Invoice"} number: ${invoice.number}`, { align: "right" });
  doc.text(`Date: ${invoice.issuedOn}`, { align: "right" });
  doc.text(`Financial year: ${financialYearLabel(invoice.financialYear)}`, { align: "right" });
  if (extras.creditFor)
    doc.text(`Against invoice: ${extras.creditFor.number} dated ${extras.creditFor.issuedOn}`, {
      align: "right",
    });
  doc.moveDown();

  const top = doc.y;
  const half = width / 2 - 10;
  party(doc, "Supplier", pageMargin, top, half, [
    invoice.supplierName,
    invoice.supplierAddress,
    `GSTIN: ${invoice.supplierGstin}`,
    `State: ${stateLabel(invoice.supplierGstin.slice(0, 2))}`,
  ]);
  const leftBottom = doc.y;
  party(doc, "Recipient", pageMargin + width / 2 + 10, top, half, [
    invoice.buyerName,
    invoice.buyerAddress || "Address not provided",
    `GSTIN: ${invoice.buyerGstin ?? "Unregistered"}`,
    `Place of supply: ${stateLabel(invoice.placeOfSupply)}`,
  ]);
  doc.y = Math.max(leftBottom, doc.y) + 12;
  doc.x = pageMargin;
  doc.text("Reverse charge: No");
  doc.text(
    invoice.taxMode === "intra"
      ? `Intra-state supply: CGST ${halfRatePercent}% + SGST ${halfRatePercent}%`
      : `Inter-state supply: IGST ${gstRatePercent}%`,
  );
  doc.moveDown();

  lineTable(doc, invoice, JSON.parse(invoice.lines) as TaxedLine[], width);

  doc.moveDown();
  const totals: [string, number][] = [["Taxable value", invoice.taxableMinor]];
  if (invoice.taxMode === "intra") {
    totals.push([`CGST @ ${halfRatePercent}%`, invoice.cgstMinor]);
    totals.push([`SGST @ ${halfRatePercent}%`, invoice.sgstMinor]);
  } else {
    totals.push([`IGST @ ${gstRatePercent}%`, invoice.igstMinor]);
  }
  totals.push([isCredit ? "Total credited (INR)" : "Total (INR)", invoice.totalMinor]);
  for (const [label, amount] of totals) {
    const y = doc.y;
    const last = label.startsWith("Total");
    doc.font(last ? "Helvetica-Bold" : "Helvetica");
    doc.text(label, pageMargin + width - 260, y, { width: 160, lineBreak: false });
    doc.text(formatAmount(amount), pageMargin + width - 100, y, { width: 100, align: "right" });
  }
  doc.font("Helvetica").moveDown(2);
  doc.x = pageMargin;
  doc
    .fontSize(8)
    .text(
      "All amounts in Indian rupees. This is a computer-generated document and needs no signature.",
      { width },
    );
  doc.end();
  return done;
}

function party(
  doc: PDFKit.PDFDocument,
  heading: string,
  x: number,
  y: number,
  width: number,
  lines: string[],
): void {
  doc.font("Helvetica-Bold").fontSize(10).text(heading, x, y, { width });
  doc.font("Helvetica").fontSize(9);
  for (const line of lines) doc.text(line, x, doc.y, { width });
}

function lineTable(
  doc: PDFKit.PDFDocument,
  invoice: Invoice,
  lines: TaxedLine[],
  width: number,
): void {
  const intra = invoice.taxMode === "intra";
  // Column widths in points; the description takes what the amounts leave.
  const amounts = intra
    ? [
        ["Taxable", 70],
        ["CGST", 55],
        ["SGST", 55],
        ["Total", 75],
      ]
    : [
        ["Taxable", 75],
        ["IGST", 70],
        ["Total", 80],
      ];
  const fixed = 20 + 50 + amounts.reduce((s, [, w]) => s + Number(w), 0);
  const columns: [string, number, "left" | "right"][] = [
    ["#", 20, "left"],
    ["Description", width - fixed, "left"],
    ["SAC", 50, "left"],
    ...amounts.map(
      ([label, w]) => [String(label), Number(w), "right"] as [string, number, "right"],
    ),
  ];
  const row = (cells: string[], bold: boolean) => {
    const y = doc.y;
    let x = pageMargin;
    let bottom = y;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(9);
    cells.forEach((cell, i) => {
      const [, w, align] = columns[i]!;
      doc.text(cell, x, y, { width: w - 4, align });
      bottom = Math.max(bottom, doc.y);
      x += w;
    });
    doc.y = bottom + 4;
  };
  row(
    columns.map(([label]) => label),
    true,
  );
  doc
    .moveTo(pageMargin, doc.y - 2)
    .lineTo(pageMargin + width, doc.y - 2)
    .stroke();
  lines.forEach((line, i) => {
    const taxes = intra
      ? [formatAmount(line.cgstMinor), formatAmount(line.sgstMinor)]
      : [formatAmount(line.igstMinor)];
    row(
      [
        String(i + 1),
        line.description,
        line.sac,
        formatAmount(line.taxableMinor),
        ...taxes,
        formatAmount(line.totalMinor),
      ],
      false,
    );
  });
  doc
    .moveTo(pageMargin, doc.y - 2)
    .lineTo(pageMargin + width, doc.y - 2)
    .stroke();
}
