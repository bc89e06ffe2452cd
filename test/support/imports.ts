import { copyFileSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../../src/config";
import type { ImportDeps } from "../../src/commands/imports/deps";
import type { StartOptions, UpdateOptions } from "../../src/commands/imports/fields";
import { updatableFields } from "../../src/commands/imports/fields";
import { inspectImport } from "../../src/commands/imports/inspect";
import { runRevert } from "../../src/commands/imports/revert";
import { runImport } from "../../src/commands/imports/run";
import { createImport, startImport, type UploadOptions } from "../../src/commands/imports/start";
import type { Business, Import, ImportMode, Models, User } from "../../src/models";
import type { TenantContext } from "../../src/tenancy/context";
import { testConfig } from "./config";
import type { TestDatabase } from "./database";
import { contextFor, testDeps } from "./deps";

/** The sample files of the brief, kept with the seeders so a fresh clone has them. */
export const sampleCsv = path.join(projectRoot, "seeders", "data", "sample_customers_100.csv");
export const sampleXlsx = path.join(projectRoot, "seeders", "data", "sample_customers_100.xlsx");

export function tempDir(prefix = "crm-imports-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Import settings a test may change (config names without the IMPORT_ prefix). */
export interface TestImportLimits {
  uploadsDir?: string;
  maxBytes?: number;
  maxRows?: number;
  maxUnzippedBytes?: number;
  revertDays?: number;
  leaseSeconds?: number;
  batchSize?: number;
}

/** Import commands on a test database, with their own folder for stored files. */
export function testImportDeps(db: TestDatabase, limits: TestImportLimits = {}): ImportDeps {
  const settings: Record<string, number | undefined> = {
    IMPORT_MAX_BYTES: limits.maxBytes,
    IMPORT_MAX_ROWS: limits.maxRows,
    IMPORT_MAX_UNZIPPED_BYTES: limits.maxUnzippedBytes,
    IMPORT_REVERT_DAYS: limits.revertDays,
    IMPORT_LEASE_SECONDS: limits.leaseSeconds,
    IMPORT_BATCH_SIZE: limits.batchSize,
  };
  const overrides: Record<string, string> = {
    UPLOADS_DIR: limits.uploadsDir ?? tempDir("crm-import-store-"),
  };
  for (const [name, value] of Object.entries(settings))
    if (value !== undefined) overrides[name] = String(value);
  return { ...testDeps(db), config: testConfig(overrides) };
}

/** Stores a copy of `file` as a new import (the upload step), named `name`. */
export async function uploadFile(
  deps: ImportDeps,
  business: Business,
  user: User,
  file: string,
  options: UploadOptions & { name?: string } = {},
): Promise<Import> {
  const copy = path.join(tempDir("crm-upload-"), "upload");
  copyFileSync(file, copy);
  const { size } = statSync(copy);
  return createImport(
    deps,
    business.id,
    user.id,
    {
      path: copy,
      originalName: options.name ?? path.basename(file),
      size,
    },
    options,
  );
}

/** Upload, inspect, start with the suggested mapping, and run to the end, as the jobs would. */
export async function importFile(
  deps: ImportDeps,
  business: Business,
  user: User,
  file: string,
  options: {
    mode?: ImportMode;
    update?: Partial<UpdateOptions>;
    name?: string;
    sheet?: string;
  } = {},
): Promise<Import> {
  const uploaded = await uploadFile(deps, business, user, file, {
    name: options.name,
    sheet: options.sheet,
  });
  const ctx = await contextFor(deps, business, user);
  const inspected = await inspectImport(deps, ctx, uploaded.id);
  if (!inspected || inspected.status !== "ready") return inspected ?? uploaded;
  const settings = JSON.parse(inspected.settings) as { mapping: StartOptions["mapping"] };
  const started = await startImport(deps, ctx, inspected, {
    mapping: settings.mapping,
    mode: options.mode ?? "skip",
    update: { fields: [...updatableFields], fillOnly: false, ...options.update },
  });
  await runImport(deps, ctx, started.id);
  return started.reload();
}

export async function countsOf(models: Models, importId: number) {
  const record = (await models.Import.findByPk(importId)) as Import;
  return {
    status: record.status,
    created: record.createdCount,
    updated: record.updatedCount,
    skipped: record.skippedCount,
    failed: record.failedCount,
  };
}

/** The context the import's jobs load: its starter's, in its business. */
export async function importContext(deps: ImportDeps, importId: number): Promise<TenantContext> {
  const record = (await deps.models.Import.findByPk(importId)) as Import;
  return contextFor(deps, { id: record.businessId }, { id: record.userId as number });
}

/** The import commands as their jobs call them, for an import id. */
export const inspectById = async (deps: ImportDeps, importId: number) =>
  inspectImport(deps, await importContext(deps, importId), importId);
export const runById = async (deps: ImportDeps, importId: number) =>
  runImport(deps, await importContext(deps, importId), importId);
export const revertById = async (deps: ImportDeps, importId: number) =>
  runRevert(deps, await importContext(deps, importId), importId);
export const startById = async (deps: ImportDeps, record: Import, options: StartOptions) =>
  startImport(deps, await importContext(deps, record.id), record, options);
