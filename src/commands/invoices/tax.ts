import type { TaxMode } from "../../models";

/**
 * GST on the platform's service: 18 %, split CGST 9 % + SGST 9 % when the supplier and the place
 * of supply are in one state (intra-state supply) and IGST 18 % otherwise (IGST Act s. 7-8).
 * Amounts are integer paise; each tax head is rounded once per line, half up, and the document's
 * totals are the sums of the lines (never re-rounded).
 */
export const gstRatePercent = 18;
export const halfRatePercent = gstRatePercent / 2;

export interface TaxedLine {
  description: string;
  sac: string;
  /** Taxable value in paise. */
  taxableMinor: number;
  cgstMinor: number;
  sgstMinor: number;
  igstMinor: number;
  /** Taxable value plus the line's taxes. */
  totalMinor: number;
}

export interface TaxTotals {
  taxableMinor: number;
  cgstMinor: number;
  sgstMinor: number;
  igstMinor: number;
  totalMinor: number;
}

/** `amount × percent / 100`, rounded half up, in integers (amounts are far below 2^53 / 100). */
export function percentOf(amountMinor: number, percent: number): number {
  return Math.floor((amountMinor * percent + 50) / 100);
}

/** CGST + SGST when the supplier's state is the place of supply, IGST otherwise. */
export function taxModeFor(supplierState: string, placeOfSupply: string): TaxMode {
  return supplierState === placeOfSupply ? "intra" : "inter";
}

export function taxLine(
  line: { description: string; sac: string; amountMinor: number },
  mode: TaxMode,
): TaxedLine {
  const taxable = line.amountMinor;
  const cgst = mode === "intra" ? percentOf(taxable, halfRatePercent) : 0;
  const sgst = mode === "intra" ? percentOf(taxable, halfRatePercent) : 0;
  const igst = mode === "inter" ? percentOf(taxable, gstRatePercent) : 0;
  return {
    description: line.description,
    sac: line.sac,
    taxableMinor: taxable,
    cgstMinor: cgst,
    sgstMinor: sgst,
    igstMinor: igst,
    totalMinor: taxable + cgst + sgst + igst,
  };
}

export function totalsOf(lines: readonly TaxedLine[]): TaxTotals {
  const sum = (pick: (line: TaxedLine) => number) => lines.reduce((s, l) => s + pick(l), 0);
  return {
    taxableMinor: sum((l) => l.taxableMinor),
    cgstMinor: sum((l) => l.cgstMinor),
    sgstMinor: sum((l) => l.sgstMinor),
    igstMinor: sum((l) => l.igstMinor),
    totalMinor: sum((l) => l.totalMinor),
  };
}

/**
 * The taxable value whose total with 18 % GST is `grossMinor` (as near as whole paise allow):
 * for callers that know what was paid or refunded, tax included (a Razorpay amount), and need
 * the line's taxable value. Intra-state rounding of two 9 % heads can differ from one 18 % by a
 * paisa, so the mode is needed.
 */
export function taxableFromGross(grossMinor: number, mode: TaxMode): number {
  let taxable = Math.round((grossMinor * 100) / (100 + gstRatePercent));
  const total = (t: number) =>
    mode === "intra" ? t + 2 * percentOf(t, halfRatePercent) : t + percentOf(t, gstRatePercent);
  // Step towards the gross; at most a couple of paise either way.
  for (let i = 0; i < 4 && total(taxable) > grossMinor; i += 1) taxable -= 1;
  for (let i = 0; i < 4 && total(taxable + 1) <= grossMinor; i += 1) taxable += 1;
  return taxable;
}

/** "1,18,000.00": paise as rupees with Indian digit grouping (the PDF and the pages add "₹"/"INR"). */
export function formatAmount(minor: number): string {
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const digits = String(Math.floor(abs / 100));
  const paise = String(abs % 100).padStart(2, "0");
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${rest ? `${rest},${last3}` : last3}.${paise}`;
}
