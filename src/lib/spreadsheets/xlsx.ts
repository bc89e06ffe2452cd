import { createReadStream } from "node:fs";
import ExcelJS from "exceljs";
import { SpreadsheetError, type Cell, type SourceRow } from "./types";

/**
 * Rows of one sheet of an XLSX file through exceljs's streaming WorkbookReader: the archive is
 * unzipped and parsed as it is read, so memory holds the shared strings and one batch of rows,
 * never the sheet. Run inspectWorkbook() (zipGuard.ts) on the file first.
 */

/** The parts of exceljs's streaming API used here (its typings leave them out or loose). */
interface RowLike {
  number: number;
  values: unknown;
}
interface SheetReader {
  parse(): AsyncIterable<Array<{ eventType: string; value: unknown }>>;
}
interface WorkbookReader extends EventEmitterLike {
  [Symbol.asyncIterator](): AsyncIterator<SheetReader>;
}
interface EventEmitterLike {
  on(event: "entry", listener: (entry: { type: string; id?: string }) => void): unknown;
}

/** A cell value of exceljs's model as a plain cell: text, number or date. */
export function plainCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (Array.isArray(object.richText))
      return (object.richText as Array<{ text?: unknown }>)
        .map((r) => String(r.text ?? ""))
        .join("");
    if ("result" in object) return plainCell(object.result);
    if ("formula" in object || "sharedFormula" in object) return null;
    if (typeof object.text === "string") return object.text;
    if (typeof object.error === "string") return object.error;
  }
  return String(value);
}

function cellsOf(row: RowLike): Cell[] {
  const values = row.values;
  if (!Array.isArray(values)) return [];
  // exceljs's row values are 1-based: index 0 is always empty.
  const cells: Cell[] = new Array<Cell>(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) cells[i - 1] = plainCell(values[i]);
  return cells;
}

/**
 * Every row of the sheet stored as xl/worksheets/sheet<part>.xml, in order, in batches. Other
 * sheets are skipped unparsed.
 */
export async function* xlsxRows(
  file: string,
  part: string,
  batchSize: number,
): AsyncGenerator<SourceRow[]> {
  const input = createReadStream(file);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: "cache",
    // Styles tell date cells from numbers.
    styles: "cache",
    hyperlinks: "ignore",
    worksheets: "emit",
    entries: "emit",
  }) as unknown as WorkbookReader;
  let currentPart: string | undefined;
  workbook.on("entry", (entry) => {
    if (entry.type === "worksheet") currentPart = entry.id;
  });
  let found = false;
  try {
    for await (const sheet of workbook) {
      if (currentPart !== part) {
        // Not the chosen sheet: exceljs still needs it drained to move on.
        for await (const _events of sheet.parse()) void _events;
        continue;
      }
      found = true;
      let batch: SourceRow[] = [];
      for await (const events of sheet.parse()) {
        for (const event of events) {
          if (event.eventType !== "row") continue;
          const row = event.value as RowLike;
          batch.push({ rowNumber: row.number, cells: cellsOf(row) });
        }
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break;
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw new SpreadsheetError(
      `The workbook could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    input.destroy();
  }
  if (!found) throw new SpreadsheetError("The chosen sheet was not found in the workbook.");
}
