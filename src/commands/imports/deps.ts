import path from "node:path";
import type { Sequelize } from "sequelize";
import type { Config } from "../../config";
import type { Logger } from "../../logger";
import type { Models } from "../../models";

/** The import settings of config.ts, as the import commands use them. */
export interface ImportLimits {
  /** Where stored import files live (UPLOADS_DIR/imports). */
  dir: string;
  maxBytes: number;
  maxRows: number;
  maxUnzippedBytes: number;
  revertDays: number;
  leaseSeconds: number;
  batchSize: number;
}

/** What the import commands need: no queue, so the demo seeder can run an import itself. */
export interface ImportDeps {
  sequelize: Sequelize;
  models: Models;
  limits: ImportLimits;
  logger?: Logger;
}

export function importLimits(config: Config): ImportLimits {
  return {
    dir: path.join(config.uploadsDir, "imports"),
    maxBytes: config.IMPORT_MAX_BYTES,
    maxRows: config.IMPORT_MAX_ROWS,
    maxUnzippedBytes: config.IMPORT_MAX_UNZIPPED_BYTES,
    revertDays: config.IMPORT_REVERT_DAYS,
    leaseSeconds: config.IMPORT_LEASE_SECONDS,
    batchSize: config.IMPORT_BATCH_SIZE,
  };
}

export function importDepsOf(deps: {
  config: Config;
  sequelize: Sequelize;
  models: Models;
  logger?: Logger;
}): ImportDeps {
  return {
    sequelize: deps.sequelize,
    models: deps.models,
    limits: importLimits(deps.config),
    logger: deps.logger,
  };
}

/** The stored copy of an import's file. Names are ours (id and random), never the upload's. */
export function storedFile(limits: ImportLimits, storedName: string): string {
  return path.join(limits.dir, path.basename(storedName));
}
