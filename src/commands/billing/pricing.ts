import type { BillingInterval } from "../../models";
import type { PlanRecord } from "../../plans/plans";

/** GST on the CRM's service: 18% (CGST + SGST or IGST — the invoice splits it). */
export const gstPercent = 18;

export interface Price {
  taxableMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** Tax rounded once, to the paisa, on the taxable amount. */
export function withGst(taxableMinor: number): Price {
  const taxMinor = Math.round((taxableMinor * gstPercent) / 100);
  return { taxableMinor, taxMinor, totalMinor: taxableMinor + taxMinor };
}

/** The taxable part of an amount that includes GST (for a refund's credit note). */
export function taxableOf(totalMinor: number): number {
  return Math.round((totalMinor * 100) / (100 + gstPercent));
}

/** The plan's list price for one interval, GST excluded. */
export function listPrice(plan: PlanRecord, interval: BillingInterval): number {
  return interval === "year" ? plan.priceYearlyMinor : plan.priceMinor;
}

/**
 * The end of a period that starts at `start`: one calendar month or year later (UTC), the day
 * clamped to the month's last (31 January + 1 month = 28/29 February).
 */
export function periodEndFrom(start: Date, interval: BillingInterval): Date {
  const months = interval === "year" ? 12 : 1;
  const end = new Date(start.getTime());
  const day = end.getUTCDate();
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(day, lastDay));
  return end;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/**
 * Proration (docs/decisions.md): an upgrade starts a new full period now; the unused part of the
 * paid period it replaces is credited, in proportion to the time left (to the second), against
 * the new plan's price, GST excluded. A trial or a granted plan credits nothing.
 */
export function prorationCredit(
  paidTaxableMinor: number,
  periodStart: Date,
  periodEnd: Date,
  now: Date,
): number {
  const total = periodEnd.getTime() - periodStart.getTime();
  const left = periodEnd.getTime() - now.getTime();
  if (total <= 0 || left <= 0 || paidTaxableMinor <= 0) return 0;
  return Math.floor((paidTaxableMinor * Math.min(left, total)) / total);
}

/** Rupees as people read them: ₹1,179 or ₹1,178.82. */
export function formatInr(minor: number): string {
  return new Intl.NumberFormat("en-IN", {
    style: "currency",
    currency: "INR",
    minimumFractionDigits: minor % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(minor / 100);
}
