import { copyFileSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { projectRoot } from "../../src/config";
import type { ImportDeps, ImportLimits } from "../../src/commands/imports/deps";
import type { StartOptions, UpdateOptions } from "../../src/commands/imports/fields";
import { updatableFields } from "../../src/commands/imports/fields";
import { inspectImport } from "../../src/commands/imports/inspect";
import { runImport } from "../../src/commands/imports/run";
import { createImport, startImport, type UploadOptions } from "../../src/commands/imports/start";
import type { Business, Import, ImportMode, Models, User } from "../../src/models";
import type { TestDatabase } from "./database";

/** The sample files of the brief, kept with the seeders so a fresh clone has them. */
export const sampleCsv = path.join(projectRoot, "seeders", "data", "sample_customers_100.csv");
export const sampleXlsx = path.join(projectRoot, "seeders", "data", "sample_customers_100.xlsx");

export function tempDir(prefix = "crm-imports-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Import commands on a test database, with their own folder for stored files. */
export function testImportDeps(db: TestDatabase, limits: Partial<ImportLimits> = {}): ImportDeps {
  return {
    sequelize: db.sequelize,
    models: db.models,
    limits: {
      dir: tempDir("crm-import-store-"),
      maxBytes: 10_485_760,
      maxRows: 1_000_000,
      maxUnzippedBytes: 500_000_000,
      revertDays: 30,
      leaseSeconds: 30,
      batchSize: 1000,
      ...limits,
    },
  };
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
  const inspected = await inspectImport(deps, uploaded.id);
  if (!inspected || inspected.status !== "ready") return inspected ?? uploaded;
  const settings = JSON.parse(inspected.settings) as { mapping: StartOptions["mapping"] };
  const started = await startImport(deps, inspected, {
    mapping: settings.mapping,
    mode: options.mode ?? "skip",
    update: { fields: [...updatableFields], fillOnly: false, ...options.update },
  });
  await runImport(deps, started.id);
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
