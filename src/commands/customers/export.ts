import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import ExcelJS from "exceljs";
import { Op } from "sequelize";
import { localDate } from "../../lib/dates";
import type { Customer } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import type { Deps } from "../../deps";
import { filterWhere, type CustomerFilter } from "./filter";
import { tagsByCustomer } from "./list";

/**
 * Customers matching a filter, streamed as CSV or XLSX. Rows are read in id order a thousand at a
 * time and written as they come, waiting for the client when it reads slower than we query, so a
 * million-row export holds one batch in memory. The columns are the importer's, so a file
 * exported here imports back unchanged.
 */
export const exportFormats = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const exportColumns = [
  "name",
  "phoneE164",
  "email",
  "whatsappE164",
  "tags",
  "consentAt",
  "birthDate",
  "anniversary",
  "ownerEmail",
  "createdAt",
] as const;
export type ExportColumn = (typeof exportColumns)[number];
export type ExportRow = Record<ExportColumn, string>;

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const batchSize = 1000;
/** Excel's last row is 1,048,576; one is the header. Longer exports continue on another sheet. */
const maxRowsPerSheet = 1_048_575;

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const formulaStart = /^[=+\-@\t\r]/;
/** A stored E.164 number: only "+" and digits, so at worst a spreadsheet reads it as a number. */
const strictE164 = /^\+[1-9]\d{1,14}$/;
const phoneColumns = new Set<ExportColumn>(["phoneE164", "whatsappE164"]);

/**
 * A cell value safe to open in a spreadsheet: text that would start a formula gets a leading
 * apostrophe. Phones that are plain E.164 are left alone — "+919876543210" can only ever be read
 * as a number, never as a function call — because the apostrophe would break re-import.
 */
export function neutralise(column: ExportColumn, value: string): string {
  if (!formulaStart.test(value)) return value;
  if (phoneColumns.has(column) && strictE164.test(value)) return value;
  return `'${value}`;
}

/** The download's file name, dated in the business's time zone. */
export function exportFileName(ctx: TenantContext, format: ExportFormat, now = new Date()): string {
  return `customers-${localDate(now, ctx.business.timeZone)}.${format}`;
}

const exportAttributes = [
  "id",
  "name",
  "email",
  "phoneE164",
  "whatsappE164",
  "consentAt",
  "birthDate",
  "anniversary",
  "ownerId",
  "createdAt",
];

/** The filtered customers as export rows, one batch at a time, by id keyset. */
async function* exportBatches(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
): AsyncGenerator<ExportRow[]> {
  const base = await filterWhere(deps, ctx, filter);
  const ownerEmails = new Map<number, string>();
  let lastId = 0;
  for (;;) {
    const customers = await deps.models.Customer.findAll({
      where: { [Op.and]: [base, { id: { [Op.gt]: lastId } }] },
      attributes: exportAttributes,
      order: [["id", "ASC"]],
      limit: batchSize,
    });
    if (customers.length === 0) return;
    lastId = customers[customers.length - 1]!.id;
    const ids = customers.map((c) => c.id);
    const [tags] = await Promise.all([
      tagsByCustomer(deps, ctx, ids),
      loadOwnerEmails(deps, customers, ownerEmails),
    ]);
    yield customers.map((c) => toRow(c, tags.get(c.id) ?? [], ownerEmails));
    if (customers.length < batchSize) return;
  }
}

/** Owners are few and repeat on every batch: each e-mail is read once per export. */
async function loadOwnerEmails(
  deps: Deps,
  customers: Customer[],
  known: Map<number, string>,
): Promise<void> {
  const missing = [
    ...new Set(customers.map((c) => c.ownerId).filter((id): id is number => id !== null)),
  ].filter((id) => !known.has(id));
  if (missing.length === 0) return;
  const users = await deps.models.User.findAll({
    where: { id: { [Op.in]: missing } },
    attributes: ["id", "email"],
  });
  for (const id of missing) known.set(id, "");
  for (const user of users) known.set(user.id, user.email);
}

function toRow(customer: Customer, tags: string[], ownerEmails: Map<number, string>): ExportRow {
  const raw: ExportRow = {
    name: customer.name,
    phoneE164: customer.phoneE164,
    email: customer.email ?? "",
    whatsappE164: customer.whatsappE164 ?? "",
    tags: tags.join(","),
    consentAt: customer.consentAt ? customer.consentAt.toISOString().slice(0, 10) : "",
    birthDate: customer.birthDate ?? "",
    anniversary: customer.anniversary ?? "",
    ownerEmail: customer.ownerId ? (ownerEmails.get(customer.ownerId) ?? "") : "",
    createdAt: customer.createdAt.toISOString(),
  };
  for (const column of exportColumns) raw[column] = neutralise(column, raw[column]);
  return raw;
}

/** Thrown when the client went away mid-download: nothing is wrong, we just stop reading. */
export class ExportAborted extends Error {
  constructor() {
    super("The client closed the connection during the export.");
    this.name = "ExportAborted";
  }
}

/** Resolves when `stream` can take more, rejects when it closes first (the client left). */
function drained(stream: Writable): Promise<void> {
  if (stream.destroyed) return Promise.reject(new ExportAborted());
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off("close", onClose);
      resolve();
    };
    const onClose = () => {
      stream.off("drain", onDrain);
      reject(new ExportAborted());
    };
    stream.once("drain", onDrain);
    stream.once("close", onClose);
  });
}

/** Rejects when `stream` closes without finishing (an abort); never resolves otherwise. */
function closedEarly(stream: Writable): Promise<never> {
  return new Promise((_resolve, reject) => {
    stream.once("close", () => {
      if (!stream.writableFinished) reject(new ExportAborted());
    });
  });
}

interface Sink {
  write(rows: ExportRow[]): Promise<void>;
  finish(): Promise<void>;
}

function csvSink(out: Writable): Sink {
  // The BOM makes Excel read UTF-8 (names in any script); csv-parse skips it with `bom: true`.
  const csv = stringify({ header: true, columns: [...exportColumns], bom: true });
  const piped = pipeline(csv, out);
  // A failure is reported by write/finish; this only keeps it from being an unhandled rejection.
  piped.catch(() => undefined);
  return {
    async write(rows) {
      for (const row of rows) {
        if (csv.destroyed) throw new ExportAborted();
        if (!csv.write(row)) await drained(csv);
      }
    },
    async finish() {
      csv.end();
      try {
        await piped;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw code === "ERR_STREAM_PREMATURE_CLOSE" ? new ExportAborted() : error;
      }
    },
  };
}

function xlsxSink(out: Writable): Sink {
  // No styles and inline strings: nothing is kept in memory for the whole workbook.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  let sheet: ExcelJS.Worksheet | null = null;
  let sheets = 0;
  let rowsInSheet = 0;
  const startSheet = () => {
    sheet?.commit();
    sheets += 1;
    sheet = workbook.addWorksheet(sheets === 1 ? "Customers" : `Customers ${sheets}`);
    sheet.addRow([...exportColumns]).commit();
    rowsInSheet = 0;
    return sheet;
  };
  const aborted = closedEarly(out);
  aborted.catch(() => undefined);
  return {
    async write(rows) {
      for (const row of rows) {
        const current = sheet && rowsInSheet < maxRowsPerSheet ? sheet : startSheet();
        // Every value is a string cell, which a spreadsheet never evaluates as a formula.
        current.addRow(exportColumns.map((column) => row[column])).commit();
        rowsInSheet += 1;
      }
      // exceljs does not wait for the client; waiting here bounds what it buffers to one batch.
      if (out.destroyed) throw new ExportAborted();
      if (out.writableNeedDrain) await drained(out);
    },
    async finish() {
      if (!sheet) startSheet();
      await Promise.race([workbook.commit(), aborted]);
    },
  };
}

/**
 * Writes the customers matching `filter` to `out` (ended when done). Members who see only their
 * own customers export only those. Resolves with the number of customers written; rejects with
 * ExportAborted when `out` closed early.
 */
export async function exportCustomers(
  deps: Deps,
  ctx: TenantContext,
  filter: CustomerFilter,
  format: ExportFormat,
  out: Writable,
): Promise<number> {
  authorize(ctx, "customers.export");
  const sink = format === "csv" ? csvSink(out) : xlsxSink(out);
  let written = 0;
  try {
    for await (const rows of exportBatches(deps, ctx, filter)) {
      await sink.write(rows);
      written += rows.length;
    }
    await sink.finish();
  } catch (error) {
    // Half a file must not look like a whole one: cut the connection instead of ending it.
    if (!out.destroyed) out.destroy();
    throw error;
  }
  return written;
}
