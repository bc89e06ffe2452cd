import path from "node:path";
import type { Config } from "../../config";
import type { Deps } from "../../deps";

/** What the import commands use. No queue: the demo seeder runs an import itself. */
export type ImportDeps = Pick<Deps, "sequelize" | "models" | "config" | "clock" | "logger">;

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

/** The stored copy of an import's file. Names are ours (id and random), never the upload's. */
export function storedFile(config: Config, storedName: string): string {
  return path.join(importLimits(config).dir, path.basename(storedName));
}
