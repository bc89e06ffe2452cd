/**
 * Reading spreadsheets people upload (CSV and XLSX), row by row in batches, with the checks a
 * public upload needs (format sniffing, zip-bomb guard). Shared by the customer import and any
 * later feature that reads a file of rows (campaign recipients, exports read back).
 */
export type SpreadsheetFormat = "csv" | "xlsx";

/** One cell as read: CSV gives text; XLSX also numbers and dates (date-formatted cells). */
export type Cell = string | number | Date | null;

export interface SourceRow {
  /** The row's number in the file as a spreadsheet shows it (the header is usually row 1). */
  rowNumber: number;
  cells: Cell[];
}

/** A problem with the file itself, worded for the person who uploaded it. */
export class SpreadsheetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpreadsheetError";
  }
}

export function isBlank(cells: Cell[]): boolean {
  for (const cell of cells) {
    if (cell === null) continue;
    if (typeof cell !== "string" || cell.trim() !== "") return false;
  }
  return true;
}

/** A cell as text, the way the error report and the preview show it. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return "";
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (typeof cell === "number") return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  return cell;
}
