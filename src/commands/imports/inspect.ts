import type { Import } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { importLimits, storedFile, type ImportDeps } from "./deps";
import {
  emptyMapping,
  headerKey,
  importFields,
  parseSettings,
  suggestMapping,
  type ColumnMapping,
  type ImportSettings,
  type Inspection,
} from "./fields";
import { failImport } from "./finish";
import {
  SpreadsheetError,
  cellText,
  isBlank,
  readRows,
  type SourceOptions,
} from "../../lib/spreadsheets";
import { countCsvRecords, detectDelimiter, readHead } from "../../lib/spreadsheets/csv";
import { detectFormat } from "../../lib/spreadsheets/sniff";
import { inspectWorkbook } from "../../lib/spreadsheets/zipGuard";
import { tenantSql } from "../../tenancy/sql";

/**
 * Reads what the mapping page needs from a stored file — format, headers, the first rows and
 * about how many rows there are — in the background: only the first rows are parsed (plus a
 * byte count of CSV records, or the zip-bomb pass over an XLSX, which also counts its rows).
 */
export const previewRows = 10;
/** Columns offered for mapping: a customer list has a handful; more is not one. */
const maxColumns = 200;

const messages = {
  empty: "The file is empty.",
  headerOnly: "The file has a header row but no customers under it.",
  tooMany: (rows: number, max: number) =>
    `The file has ${rows.toLocaleString("en")} rows; one import takes at most ${max.toLocaleString("en")}. Split it into smaller files.`,
  noSheet: (name: string) => `The workbook has no sheet named "${name}".`,
};

interface Located {
  source: SourceOptions;
  /** Rows of the file, header included (an upper bound for XLSX: blank rows count). */
  rows: number;
  sheets: string[];
  settings: Partial<ImportSettings>;
  first: FirstRows;
}

interface FirstRows {
  headers: string[] | null;
  preview: string[][];
  previewRowNumbers: number[];
}

async function locate(file: string, settings: ImportSettings, deps: ImportDeps): Promise<Located> {
  const head = await readHead(file);
  const format = detectFormat(head);
  if (format === "csv") {
    const delimiter = detectDelimiter(head.toString("utf8"));
    const source = { format, delimiter };
    return {
      source,
      rows: await countCsvRecords(file),
      sheets: [],
      settings: { delimiter },
      first: await firstRows(file, source),
    };
  }
  const sheets = await inspectWorkbook(file, {
    maxUnzippedBytes: importLimits(deps.config).maxUnzippedBytes,
  });
  // The sheet asked for; otherwise the first visible sheet with customers under its header.
  const candidates = settings.sheet
    ? sheets.filter((s) => s.name === settings.sheet)
    : [...sheets.filter((s) => !s.hidden), ...sheets.filter((s) => s.hidden)];
  if (candidates.length === 0) throw new SpreadsheetError(messages.noSheet(settings.sheet ?? ""));
  let fallback: Located | null = null;
  for (const sheet of candidates) {
    const source = { format, sheetPart: sheet.part };
    const candidate: Located = {
      source,
      rows: sheet.rows,
      sheets: sheets.map((s) => s.name),
      settings: { sheet: sheet.name, sheetPart: sheet.part },
      first: await firstRows(file, source),
    };
    if (candidate.first.preview.length > 0) return candidate;
    fallback ??= candidate;
  }
  return fallback as Located;
}

/** The header and the first data rows (blank rows left out). */
async function firstRows(file: string, source: SourceOptions): Promise<FirstRows> {
  let headers: string[] | null = null;
  const preview: string[][] = [];
  const previewRowNumbers: number[] = [];
  const rows = readRows(file, source, 64);
  for await (const batch of rows) {
    for (const row of batch) {
      if (isBlank(row.cells)) continue;
      // Only a glimpse of each cell is kept for the page.
      const texts = row.cells.slice(0, maxColumns).map((cell) => cellText(cell).slice(0, 1000));
      if (!headers) headers = texts.map((h, i) => h.trim().slice(0, 100) || `Column ${i + 1}`);
      else if (preview.length < previewRows) {
        preview.push(texts);
        previewRowNumbers.push(row.rowNumber);
      }
    }
    if (headers && preview.length >= previewRows) break;
  }
  await rows.return(undefined);
  return { headers, preview, previewRowNumbers };
}

/** An API upload's mapping by header names, over the suggested one. */
function requestedMapping(headers: string[], settings: ImportSettings): ColumnMapping {
  const mapping = settings.requestedMapping ? emptyMapping() : suggestMapping(headers);
  if (!settings.requestedMapping) return mapping;
  const suggested = suggestMapping(headers);
  for (const field of importFields) {
    const wanted = settings.requestedMapping[field];
    if (wanted === undefined) {
      mapping[field] = suggested[field];
      continue;
    }
    const index = headers.findIndex((h) => headerKey(h) === headerKey(wanted));
    if (index < 0 && wanted !== "")
      throw new SpreadsheetError(`The file has no column "${wanted}".`);
    mapping[field] = index < 0 ? null : index;
  }
  return mapping;
}

/** Inspects an import in status "inspecting"; it ends "ready", or "failed" with the reason. */
export async function inspectImport(
  deps: ImportDeps,
  ctx: TenantContext,
  importId: number,
): Promise<Import | null> {
  const record = await deps.models.Import.findOne({
    where: tenantWhere(ctx, deps.models.Import, { id: importId }),
  });
  if (!record || record.status !== "inspecting" || !record.storedName) return record;
  const file = storedFile(deps.config, record.storedName);
  const settings = parseSettings(record.settings);
  try {
    const located = await locate(file, settings, deps);
    const { headers, preview, previewRowNumbers } = located.first;
    if (!headers) throw new SpreadsheetError(messages.empty);
    if (preview.length === 0) throw new SpreadsheetError(messages.headerOnly);
    const dataRows = Math.max(located.rows - 1, preview.length);
    if (dataRows > importLimits(deps.config).maxRows)
      throw new SpreadsheetError(messages.tooMany(dataRows, importLimits(deps.config).maxRows));
    const inspection: Inspection = {
      format: located.source.format,
      headers,
      preview,
      previewRowNumbers,
      sheets: located.sheets,
      sheet: located.settings.sheet,
      delimiter: located.settings.delimiter,
    };
    const next: ImportSettings = {
      ...settings,
      ...located.settings,
      mapping: requestedMapping(headers, settings),
    };
    const sql = tenantSql(deps, ctx);
    await sql.changed`
      UPDATE imports SET status = 'ready', format = ${located.source.format},
        inspection = ${JSON.stringify(inspection)}, settings = ${JSON.stringify(next)},
        total_rows = ${dataRows}, updated_at = ${deps.clock.now()}
      WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status = 'inspecting'
        AND seq = ${record.seq}`;
    return await record.reload();
  } catch (error) {
    if (!(error instanceof SpreadsheetError)) throw error;
    await failImport(deps, record, { id: "invalid_file", message: error.message }, null);
    return await record.reload();
  }
}
