import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { InvoiceKind } from "../../models";

/**
 * Invoice numbers (CGST Rule 46(b)): a serial of at most 16 characters of letters, digits, '-' and
 * '/', unique within a financial year. Ours: `<series>/<yy><yy>/<serial>`, e.g. INV/2627/000001
 * (15 characters) for the first invoice of 2026-27 and CN/2627/000001 for the first credit note.
 * The serial has six digits at least and may grow to seven (INV/2627/1000000, 16 characters);
 * past that the series is full and issuing fails loudly rather than print a longer number.
 */
export const seriesOf: Record<InvoiceKind, string> = { invoice: "INV", credit_note: "CN" };

/** IST is UTC+05:30 all year (no daylight saving), so plain arithmetic gives the Indian date. */
const istOffsetMs = (5 * 60 + 30) * 60 * 1000;

/** The calendar day in India at `instant`, as YYYY-MM-DD. */
export function istDate(instant: Date): string {
  return new Date(instant.getTime() + istOffsetMs).toISOString().slice(0, 10);
}

/**
 * The financial year (1 April – 31 March, Indian time) containing `instant`, as its short label
 * "2627" for 2026-27, and its long one.
 */
export function financialYearOf(instant: Date): { code: string; label: string; startYear: number } {
  const [year, month] = istDate(instant).split("-").map(Number) as [number, number];
  const startYear = month >= 4 ? year : year - 1;
  const yy = (n: number) => String(n % 100).padStart(2, "0");
  return {
    code: `${yy(startYear)}${yy(startYear + 1)}`,
    label: `${startYear}-${yy(startYear + 1)}`,
    startYear,
  };
}

/** "2026-27" for the year code "2627". */
export function financialYearLabel(code: string): string {
  return `20${code.slice(0, 2)}-${code.slice(2)}`;
}

export const maxSerial = 9_999_999;

/** The printed number of a document: INV/2627/000001. */
export function formatInvoiceNumber(series: string, financialYear: string, serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 1 || serial > maxSerial)
    throw new Error(`invoice serial ${serial} is outside 1..${maxSerial}: the series is full`);
  const number = `${series}/${financialYear}/${String(serial).padStart(6, "0")}`;
  if (!/^[A-Za-z0-9/-]{1,16}$/.test(number)) throw new Error(`invalid invoice number ${number}`);
  return number;
}

/**
 * Makes the counter row of a series and year if it is missing, in its own statement outside the
 * issuing transaction: created inside it, two first invoices of a year would each take a shared
 * lock on the new key and then both wait to upgrade it — a deadlock on MySQL.
 */
export async function ensureInvoiceCounter(
  deps: Pick<Deps, "models">,
  series: string,
  financialYear: string,
): Promise<void> {
  const { InvoiceCounter } = deps.models;
  const exists = await InvoiceCounter.count({ where: { series, financialYear } });
  if (exists) return;
  await InvoiceCounter.bulkCreate([{ series, financialYear, lastNumber: 0 }], {
    ignoreDuplicates: true,
  });
}

/**
 * The next serial of a series and year, taken inside `transaction` (the one that writes the
 * document). The UPDATE holds the counter row's lock (MySQL) or the database's write lock
 * (SQLite) until that transaction ends: concurrent issues wait their turn, and a rolled-back issue
 * gives its serial back. Serials are therefore 1..N without gaps or repeats.
 */
export async function nextInvoiceSerial(
  deps: Pick<Deps, "models">,
  series: string,
  financialYear: string,
  transaction: Transaction,
): Promise<number> {
  const { InvoiceCounter } = deps.models;
  const where = { series, financialYear };
  await InvoiceCounter.increment("lastNumber", { by: 1, where, transaction });
  const counter = await InvoiceCounter.findOne({ where, transaction });
  if (!counter) throw new Error(`invoice counter ${series}/${financialYear} is missing`);
  return counter.lastNumber;
}
