import { csvRows } from "./csv";
import type { SourceRow, SpreadsheetFormat } from "./types";
import { xlsxRows } from "./xlsx";

export {
  SpreadsheetError,
  cellText,
  isBlank,
  type Cell,
  type SourceRow,
  type SpreadsheetFormat,
} from "./types";

/** Where to read: the format and, per format, the delimiter or the sheet's part number. */
export interface SourceOptions {
  format: SpreadsheetFormat;
  delimiter?: string;
  sheetPart?: string;
}

/** Every row of the file (header included), in order, in batches of about `batchSize`. */
export function readRows(
  file: string,
  options: SourceOptions,
  batchSize: number,
): AsyncGenerator<SourceRow[]> {
  return options.format === "xlsx"
    ? xlsxRows(file, options.sheetPart ?? "1", batchSize)
    : csvRows(file, options.delimiter ?? ",", batchSize);
}
