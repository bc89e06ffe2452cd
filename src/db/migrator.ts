import path from "node:path";
import type { QueryInterface, Sequelize } from "sequelize";
import { SequelizeStorage, Umzug, type MigrationFn } from "umzug";
import type { Logger } from "../logger";
import type { Models } from "../models";

export type Migration = MigrationFn<QueryInterface>;

export interface SeedContext {
  sequelize: Sequelize;
  models: Models;
  /** Prints a message meant for the person at the terminal (e.g. the demo login), once. */
  announce: (message: string) => void;
}
export type Seeder = MigrationFn<SeedContext>;

// Compiled files sit in dist/migrations beside dist/src; sources in migrations/ beside src/.
const baseDir = path.resolve(__dirname, "../..");

function filesOf(folder: "migrations" | "seeders"): [string, { cwd: string; ignore: string[] }] {
  return [`${folder}/*.{js,ts}`, { cwd: baseDir, ignore: ["**/*.d.ts", "**/*.test.ts"] }];
}

/** The name without its extension, so a migration run from .ts is the same one as from .js. */
function migrationName(file: string): string {
  return path.basename(file).replace(/\.(js|ts)$/, "");
}

interface MigrationModule<T> {
  up: MigrationFn<T>;
  down?: MigrationFn<T>;
}

function resolveModule<T>(params: { path?: string; context: T }) {
  const file = params.path ?? "";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as MigrationModule<T>;
  return {
    name: migrationName(file),
    up: async () => loaded.up({ name: migrationName(file), path: file, context: params.context }),
    down: async () => {
      if (!loaded.down) throw new Error(`${migrationName(file)} has no down step`);
      await loaded.down({ name: migrationName(file), path: file, context: params.context });
    },
  };
}

function umzugLogger(logger?: Logger) {
  return logger
    ? {
        info: (event: Record<string, unknown>) => logger.info(event, "migration"),
        warn: (event: Record<string, unknown>) => logger.warn(event, "migration"),
        error: (event: Record<string, unknown>) => logger.error(event, "migration"),
        debug: (event: Record<string, unknown>) => logger.debug(event, "migration"),
      }
    : undefined;
}

export function createMigrator(sequelize: Sequelize, logger?: Logger): Umzug<QueryInterface> {
  return new Umzug<QueryInterface>({
    migrations: { glob: filesOf("migrations"), resolve: resolveModule },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: "schema_migrations" }),
    logger: umzugLogger(logger),
  });
}

export function createSeeder(context: SeedContext, logger?: Logger): Umzug<SeedContext> {
  return new Umzug<SeedContext>({
    migrations: { glob: filesOf("seeders"), resolve: resolveModule },
    context,
    storage: new SequelizeStorage({ sequelize: context.sequelize, tableName: "schema_seeds" }),
    logger: umzugLogger(logger),
  });
}
