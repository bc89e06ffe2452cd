import { mkdirSync } from "node:fs";
import path from "node:path";
import { QueryTypes, Sequelize, type Options } from "sequelize";
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
      // SQLite serialises writers; waiting beats failing with SQLITE_BUSY under a burst. Each try
      // waits the connection's busy time first; 15 tries let a burst of a dozen writers through
      // on a loaded machine, where 5 failed now and then.
      retry: { max: 15, match: [/SQLITE_BUSY/] },
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

/** The part of a mysql2 connection (callback API, as Sequelize's pool holds them) a read uses. */
interface PooledConnection {
  query(options: ReadOptions, callback: (error: Error | null, rows: unknown) => void): void;
}

interface ReadOptions {
  sql: string;
  values: unknown[] | undefined;
  dateStrings: boolean;
  typeCast: (field: unknown, next: () => unknown) => unknown;
}

interface ConnectionPool {
  getConnection(options: { type: string }): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): void;
}

/** mysql2's own decoding of every column (Sequelize's pool connections carry its typeCast). */
const asDecoded = (_field: unknown, next: () => unknown) => next();

/**
 * A SELECT of plain rows, straight on a pooled connection on MySQL: `sequelize.query`'s pipeline
 * (option copies, replacement parsing, retry wrapper, hooks, result formatting) and its per-value
 * DATETIME parsing (moment) cost more than a small statement itself on the pages opened most.
 * DATETIME columns come as their UTC text ("2026-12-01 10:00:00"), as SQLite gives them
 * ("… +00:00"); read them with `timeOf`. Values fill the `?` placeholders. Not a prepared
 * statement: mysql2's binary rows build an object per column and row for the pool's typeCast (which
 * Sequelize installs on every connection), and that cost more in Node than parsing the statement
 * again cost MariaDB. On SQLite it is `sequelize.query` with the values as replacements. Counted
 * in Server-Timing like every statement.
 */
export async function selectRows<T extends object>(
  sequelize: Sequelize,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  if (sequelize.getDialect() !== "mysql")
    return sequelize.query<T>(sql, {
      type: QueryTypes.SELECT,
      ...(values.length ? { replacements: values } : {}),
    });
  const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
  const done = statementStarted();
  try {
    const connection = await pool.getConnection({ type: "SELECT" });
    try {
      return await new Promise<T[]>((resolve, reject) => {
        // No values: the text is complete (mysql2 would still look for placeholders in it).
        const read = {
          sql,
          values: values.length ? values : undefined,
          dateStrings: true,
          typeCast: asDecoded,
        };
        const answer = (error: Error | null, rows: unknown) =>
          error ? reject(Object.assign(error, { sql })) : resolve(rows as T[]);
        connection.query(read, answer);
      });
    } finally {
      pool.releaseConnection(connection);
    }
  } finally {
    done();
  }
}

interface InsertResult {
  insertId: number;
}

/**
 * One INSERT committed on its own, answering the new row's id; on MySQL straight on a pooled
 * connection, as selectRows reads (a public form's submission is this one statement, and
 * Model.create's pipeline cost more than the statement). Counted in Server-Timing.
 */
export async function insertReturningId(sequelize: Sequelize, sql: string): Promise<number> {
  if (sequelize.getDialect() !== "mysql") {
    const [, meta] = (await sequelize.query(sql, { type: QueryTypes.RAW })) as [
      unknown,
      { lastID: number },
    ];
    return meta.lastID;
  }
  const pool = (sequelize as unknown as { connectionManager: ConnectionPool }).connectionManager;
  const done = statementStarted();
  try {
    const connection = await pool.getConnection({ type: "INSERT" });
    try {
      return await new Promise<number>((resolve, reject) => {
        const write = { sql, values: undefined, dateStrings: true, typeCast: asDecoded };
        connection.query(write, (error, result) =>
          error
            ? reject(Object.assign(error, { sql }))
            : resolve((result as InsertResult).insertId),
        );
      });
    } finally {
      pool.releaseConnection(connection);
    }
  } finally {
    done();
  }
}

/** A time column as selectRows reads it (UTC text on both dialects), or a Date as it is. */
export function timeOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  // MySQL's "YYYY-MM-DD HH:MM:SS[.fff]" is UTC (the connection's zone) but would parse as local.
  const time = new Date(text.length <= 23 ? `${text.replace(" ", "T")}Z` : text);
  return Number.isNaN(time.getTime()) ? null : time;
}

/**
 * SQLite needs these per connection: WAL lets readers run beside the writer. Only the default
 * connection gets them: Sequelize opens one more per transaction with the sqlite3 module's own
 * short busy wait. Giving those the 5 s wait too was tried and made concurrent writers far slower
 * (12 concurrent ticket creations: 4 s → over 30 s): a busy wait sleeps on one of libuv's four
 * pool threads, so waiters can starve the writer they wait for of a thread to commit on.
 */
export async function tuneConnection(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== "sqlite") return;
  await sequelize.query("PRAGMA journal_mode = WAL");
  await sequelize.query("PRAGMA busy_timeout = 5000");
  await sequelize.query("PRAGMA foreign_keys = ON");
  await sequelize.query("PRAGMA synchronous = NORMAL");
}
