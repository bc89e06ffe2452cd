import { copyFile, mkdir, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { AppError } from "../../errors";
import type { Import, ImportMode } from "../../models";
import { remaining } from "../../plans/planGate";
import type { TenantContext } from "../../tenancy/context";
import { importActor } from "./actor";
import { importLimits, type ImportDeps } from "./deps";
import {
  defaultSettings,
  importFields,
  parseInspection,
  parseSettings,
  type ImportSettings,
  type StartOptions,
} from "./fields";
import { removeStoredFile } from "./finish";
import { SpreadsheetError } from "../../lib/spreadsheets";
import { readHead } from "../../lib/spreadsheets/csv";
import { checkExtension, detectFormat } from "../../lib/spreadsheets/sniff";
import { businessScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

/** Creating an import from an upload, and starting it once its columns are mapped. */
export interface Upload {
  /** Where the upload was written (it is moved into the imports folder). */
  path: string;
  originalName: string;
  size: number;
}

export interface UploadOptions {
  mode?: ImportMode;
  update?: ImportSettings["update"];
  sheet?: string;
  autoStart?: boolean;
  requestedMapping?: ImportSettings["requestedMapping"];
  /** Leads instead of customers (commands/imports/leadImport.ts). */
  target?: ImportSettings["target"];
}

const messages = {
  notReady: "This import has already been started.",
  name: "Choose the column that holds the customers' names.",
  phone: "Choose the column that holds the phone numbers.",
  column: "Choose one of the file's columns.",
};

async function moveFile(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    // Another file system (a temporary folder elsewhere): copy, then remove.
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

/**
 * Stores an uploaded file as a new import in status "inspecting". Only the first bytes are read
 * here (to refuse what is plainly no spreadsheet at once); the rest is the inspect job's.
 */
export async function createImport(
  deps: ImportDeps,
  businessId: number,
  userId: number,
  upload: Upload,
  options: UploadOptions = {},
): Promise<Import> {
  try {
    checkExtension(upload.originalName);
    const format = detectFormat(await readHead(upload.path), upload.originalName);
    const storedName = `${businessId}-${deps.clock.nowMs()}-${randomBytes(8).toString("hex")}.${format}`;
    await moveFile(upload.path, path.join(importLimits(deps.config).dir, storedName));
    const settings: ImportSettings = {
      ...defaultSettings(),
      ...(options.update ? { update: options.update } : {}),
      sheet: options.sheet,
      autoStart: options.autoStart,
      requestedMapping: options.requestedMapping,
      ...(options.target === "leads" ? { target: "leads" as const } : {}),
    };
    return await deps.models.Import.create({
      businessId,
      userId,
      fileName: path.basename(upload.originalName).slice(0, 255) || "upload",
      storedName,
      fileSize: upload.size,
      format,
      status: "inspecting",
      mode: options.mode ?? "skip",
      settings: JSON.stringify(settings),
    });
  } catch (error) {
    await rm(upload.path, { force: true });
    if (error instanceof SpreadsheetError)
      throw AppError.validation({ file: error.message }, error.message);
    throw error;
  }
}

function checkMapping(record: Import, options: StartOptions): void {
  const headers = parseInspection(record.inspection)?.headers ?? [];
  const errors: Record<string, string> = {};
  for (const field of importFields) {
    const index = options.mapping[field];
    if (index !== null && (!Number.isInteger(index) || index < 0 || index >= headers.length))
      errors[`map_${field}`] = messages.column;
  }
  if (options.mapping.name === null) errors.map_name = messages.name;
  if (options.mapping.phone === null) errors.map_phone = messages.phone;
  if (Object.keys(errors).length > 0) throw AppError.validation(errors);
}

/**
 * Up front: the file's rows must fit under the plan's customer limit (each batch enforces it
 * again, exactly, in case others add customers meanwhile).
 */
function checkPlanLimit(ctx: TenantContext, record: Import): void {
  const actor = importActor(ctx);
  const rows = record.totalRows ?? 0;
  const fit = remaining(actor.plan, "customers", actor.business.customerCount);
  if (rows <= fit) return;
  const limit = actor.plan.limits.customers;
  throw new AppError(
    "plan_limit",
    `This file has ${rows.toLocaleString("en")} rows, but your ${actor.plan.name} plan allows ` +
      `${limit.toLocaleString("en")} customers and ${fit === 0 ? "no more fit" : `only ${fit.toLocaleString("en")} more fit`}. ` +
      "Remove rows from the file or upgrade your plan.",
    { limit: "customers", allowed: limit, rows, fit, plan: actor.plan.code },
  );
}

/** Starts a "ready" import with the mapping and mode chosen; the caller enqueues the run. */
export async function startImport(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
  options: StartOptions,
): Promise<Import> {
  if (record.status !== "ready") throw new AppError("conflict", messages.notReady);
  checkMapping(record, options);
  checkPlanLimit(ctx, record);
  const settings: ImportSettings = {
    ...parseSettings(record.settings),
    mapping: options.mapping,
    update: options.update,
  };
  const sql = tenantSql(deps, ctx);
  const started = await sql.changed`
    UPDATE imports SET status = 'queued', mode = ${options.mode},
      settings = ${JSON.stringify(settings)}, seq = seq + 1, updated_at = ${deps.clock.now()}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status = 'ready'`;
  if (started !== 1) throw new AppError("conflict", messages.notReady);
  return record.reload();
}

/** An upload nobody is going to start: its file is removed and it leaves the list of work. */
export async function discardImport(deps: ImportDeps, record: Import): Promise<void> {
  if (!["ready", "failed"].includes(record.status) || record.processedRows > 0)
    throw new AppError("conflict", "Only an import that has not run can be discarded.");
  // The record was loaded through the member's scope: its business is the one to write in.
  const sql = tenantSql(deps, businessScope(record.businessId));
  await sql.changed`
    UPDATE imports SET status = 'discarded', updated_at = ${deps.clock.now()}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status = ${record.status}`;
  await removeStoredFile(deps, record);
}

/** XLSX: reads the file again from another of its sheets (back to "inspecting"). */
export async function chooseSheet(
  deps: ImportDeps,
  record: Import,
  sheet: string,
): Promise<Import> {
  const sheets = parseInspection(record.inspection)?.sheets ?? [];
  if (record.status !== "ready" || !sheets.includes(sheet))
    throw AppError.validation({ sheet: "Choose one of the workbook's sheets." });
  const settings = { ...parseSettings(record.settings), sheet, sheetPart: undefined };
  const sql = tenantSql(deps, businessScope(record.businessId));
  await sql.changed`
    UPDATE imports SET status = 'inspecting', settings = ${JSON.stringify(settings)},
      seq = seq + 1, updated_at = ${deps.clock.now()}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status = 'ready'`;
  return record.reload();
}
