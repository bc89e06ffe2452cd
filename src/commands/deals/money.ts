/**
 * Money of deals: integer minor units and an ISO 4217 code. How many minor digits a currency has
 * comes from Intl (INR 2, JPY 0, BHD 3), so amounts typed as "1,50,000.50" convert exactly.
 */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** Whether `code` is a currency Intl knows (three letters, ISO 4217). */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    return Intl.supportedValuesOf("currency").includes(code);
  } catch {
    return true;
  }
}

/** Largest amount a deal takes, in minor units: safely below 2^53. */
export const maxAmountMinor = 1_000_000_000_000_000;

/**
 * "1,50,000.50" → 15000050 (for a two-digit currency); null when it is not an amount (letters, more
 * decimals than the currency has, negative).
 */
export function parseAmount(text: string, currency: string): number | null {
  const cleaned = text.replace(/[,\s_]/g, "");
  const digits = minorDigits(currency);
  const match = /^(\d{1,16})(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) && minor <= maxAmountMinor ? minor : null;
}

/** 15000050 → "150000.50": the amount as a form field shows it. */
export function amountInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const whole = Math.floor(minor / 10 ** digits);
  const fraction = String(minor % 10 ** digits).padStart(digits, "0");
  return `${whole}.${fraction}`;
}

/** "₹1,50,000.50": Indian grouping for INR (en-IN), the currency's own symbol otherwise. */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const locale = currency === "INR" ? "en-IN" : "en";
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(
      minor / 10 ** digits,
    );
  } catch {
    return `${currency} ${amountInput(minor, currency)}`;
  }
}
