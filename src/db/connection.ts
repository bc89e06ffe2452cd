import { mkdirSync } from "node:fs";
import path from "node:path";
import { Sequelize, type Options } from "sequelize";
import type { DatabaseTarget } from "../config";
import { statementStarted } from "../lib/requestTiming";

export interface ConnectionOptions {
  poolMax?: number;
  logging?: (sql: string) => void;
}

const sharedOptions: Options = {
  define: { underscored: true, timestamps: true },
  timezone: "+00:00",
  benchmark: false,
};

/**
 * Every statement goes through `sequelize.query` (models and raw SQL alike): timing it there gives
 * the request's Server-Timing `db` figure and statement count. Outside a request it costs one
 * AsyncLocalStorage lookup.
 */
function instrumentQueries(sequelize: Sequelize): Sequelize {
  const query = sequelize.query.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  (sequelize as { query: unknown }).query = (...args: unknown[]) => {
    const done = statementStarted();
    return query(...args).finally(done);
  };
  return sequelize;
}

/** Opens Sequelize for either dialect; every time is stored in UTC. */
export function createSequelize(
  target: DatabaseTarget,
  options: ConnectionOptions = {},
): Sequelize {
  return instrumentQueries(openSequelize(target, options));
}

function openSequelize(target: DatabaseTarget, options: ConnectionOptions): Sequelize {
  const logging = options.logging ?? false;
  if (target.dialect === "sqlite") {
    if (target.storage !== ":memory:") mkdirSync(path.dirname(target.storage), { recursive: true });
    // The URL form sqlite::memory: trips a Node deprecation warning; storage avoids it.
    return new Sequelize({
      ...sharedOptions,
      dialect: "sqlite",
      storage: target.storage,
      logging,
      pool: { max: 1, min: 0 },
      // SQLite serialises writers; waiting beats failing with SQLITE_BUSY under a burst.
      retry: { max: 5, match: [/SQLITE_BUSY/] },
    });
  }
  return new Sequelize(target.url, {
    ...sharedOptions,
    dialect: "mysql",
    logging,
    dialectOptions: {
      charset: "utf8mb4",
      dateStrings: false,
      supportBigNumbers: true,
      // Sequelize sends some statements through mysql2's execute() with values in the SQL text, so
      // each distinct text is a new prepared statement; unbounded, one process exhausts the
      // server-wide max_prepared_stmt_count (16,382) in about half an hour of traffic.
      maxPreparedStatements: 100,
    },
    define: { ...sharedOptions.define, charset: "utf8mb4", collate: "utf8mb4_unicode_ci" },
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 30_000 },
  });
}

/** SQLite needs these per connection: WAL lets readers run beside the writer. */
export async function tuneConnection(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== "sqlite") return;
  await sequelize.query("PRAGMA journal_mode = WAL");
  await sequelize.query("PRAGMA busy_timeout = 5000");
  await sequelize.query("PRAGMA foreign_keys = ON");
  await sequelize.query("PRAGMA synchronous = NORMAL");
}
