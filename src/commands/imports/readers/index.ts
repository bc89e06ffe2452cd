import type { ImportFormat } from "../../../models";
import { csvRows } from "./csv";
import type { SourceRow } from "./types";
import { xlsxRows } from "./xlsx";

export { ImportFileError, cellText, isBlank, type Cell, type SourceRow } from "./types";

/** Where to read: the format and, per format, the delimiter or the sheet's part number. */
export interface SourceOptions {
  format: ImportFormat;
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
