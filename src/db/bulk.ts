import { QueryTypes, type Sequelize, type Transaction } from "sequelize";

/**
 * Bulk SQL: multi-row INSERTs of literal tuples and affected-row counts, on both dialects. The
 * building blocks only — statements on tenant tables are built through tenancy/sql.ts, which
 * adds the business filter and forces business_id into every inserted row.
 *
 * Literal SQL values for multi-row statements: sequelize.escape() costs ~1.3 µs a value on
 * MySQL, a third of the whole budget of an imported row at 50,000 rows/s; text without quotes,
 * backslashes or control characters needs no escaping in either dialect, so only other text (and
 * dates, memoised) goes through it. bulk.test.ts checks both agree.
 */
export type SqlValue = string | number | boolean | Date | null;

// The control characters are the ones MySQL's escaping rewrites.
// eslint-disable-next-line no-control-regex
const needsEscaping = /[\0\b\t\n\r\x1a"'\\]/;

export class SqlLiterals {
  private readonly dates = new Map<number, string>();
  private readonly sqlite: boolean;

  constructor(private readonly sequelize: Sequelize) {
    this.sqlite = sequelize.getDialect() === "sqlite";
  }

  value(value: SqlValue): string {
    if (value === null) return "NULL";
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
    if (typeof value === "string") {
      if (!needsEscaping.test(value)) return `'${value}'`;
      // SQLite ends a statement's text at a NUL byte: spell it as char(0) between the parts.
      if (this.sqlite && value.includes("\0"))
        return value
          .split("\0")
          .map((part) => this.sequelize.escape(part))
          .join(" || char(0) || ");
      return this.sequelize.escape(value);
    }
    if (value instanceof Date) {
      const time = value.getTime();
      let literal = this.dates.get(time);
      if (literal === undefined) {
        literal = this.sequelize.escape(value);
        // A few distinct dates repeat across a file (consent dates); the cache stays small.
        if (this.dates.size > 10_000) this.dates.clear();
        this.dates.set(time, literal);
      }
      return literal;
    }
    return value ? "1" : "0";
  }

  /** "(a, b, c)" of one row. */
  row(values: SqlValue[]): string {
    let sql = "(";
    for (let i = 0; i < values.length; i++) {
      if (i > 0) sql += ", ";
      sql += this.value(values[i] as SqlValue);
    }
    return `${sql})`;
  }

  /** "(1, 2, 3)" for IN lists. */
  list(values: SqlValue[]): string {
    return this.row(values);
  }
}

/**
 * A batch's rows normally go in one statement per table; rows with very long values are split
 * over several, so no statement nears MySQL's max_allowed_packet (16 MB by default on MariaDB).
 */
const maxStatementChars = 4 * 1024 * 1024;

/** INSERT statements for rendered row tuples ("(…)"), each with the number of rows it holds. */
function insertStatements(
  table: string,
  columns: string[],
  tuples: string[],
): Array<{ sql: string; count: number }> {
  const head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
  const statements: Array<{ sql: string; count: number }> = [];
  let sql = head;
  let count = 0;
  for (const values of tuples) {
    if (count > 0 && sql.length + values.length + 2 > maxStatementChars) {
      statements.push({ sql, count });
      sql = head;
      count = 0;
    }
    sql += count === 0 ? values : `, ${values}`;
    count++;
  }
  if (count > 0) statements.push({ sql, count });
  return statements;
}

/** Multi-row INSERTs of the rows; nothing when there are none. */
export async function insertRows(
  sequelize: Sequelize,
  literals: SqlLiterals,
  table: string,
  columns: string[],
  rows: SqlValue[][],
  transaction: Transaction,
): Promise<void> {
  await insertTuples(
    sequelize,
    table,
    columns,
    rows.map((row) => literals.row(row)),
    transaction,
  );
}

/** Multi-row INSERTs of rendered tuples ("(…)"); nothing when there are none. */
export async function insertTuples(
  sequelize: Sequelize,
  table: string,
  columns: string[],
  tuples: string[],
  transaction: Transaction,
): Promise<void> {
  for (const { sql } of insertStatements(table, columns, tuples))
    await sequelize.query(sql, { type: QueryTypes.RAW, transaction });
}

/**
 * The auto-increment step when one multi-row INSERT is sure to get consecutive ids: always on
 * SQLite; on MySQL/MariaDB with innodb_autoinc_lock_mode 0 or 1 (MariaDB's default; MySQL 8's 2
 * may interleave concurrent inserts). null: ids must be read back.
 */
const idSteps = new WeakMap<Sequelize, Promise<number | null>>();

function consecutiveIdStep(sequelize: Sequelize): Promise<number | null> {
  let step = idSteps.get(sequelize);
  if (!step) {
    step =
      sequelize.getDialect() === "sqlite"
        ? Promise.resolve(1)
        : sequelize
            .query<{ mode: number | string; step: number | string }>(
              "SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step",
              { type: QueryTypes.SELECT },
            )
            .then(([row]) => (row && Number(row.mode) <= 1 ? Number(row.step) : null));
    idSteps.set(sequelize, step);
  }
  return step;
}

/** What Sequelize answers a raw INSERT: [insertId, affectedRows] on MySQL, [rows, statement] on SQLite. */
type InsertAnswer = [number, number] | [unknown, { lastID: number; changes: number }];

/**
 * Inserts rendered rows and returns their ids in order, or null when the database cannot
 * promise consecutive ids (then the caller reads them back by a unique key).
 */
export async function insertTuplesWithIds(
  sequelize: Sequelize,
  table: string,
  columns: string[],
  tuples: string[],
  transaction: Transaction,
): Promise<number[] | null> {
  const step = await consecutiveIdStep(sequelize);
  const ids: number[] = [];
  for (const { sql, count } of insertStatements(table, columns, tuples)) {
    const [result, meta] = (await sequelize.query(sql, {
      type: QueryTypes.RAW,
      transaction,
    })) as InsertAnswer;
    if (step === null) continue;
    const inserted = typeof meta === "number" ? meta : meta.changes;
    if (inserted !== count) return null;
    const first = typeof meta === "number" ? Number(result) : meta.lastID - (count - 1) * step;
    for (let i = 0; i < count; i++) ids.push(first + i * step);
  }
  return step === null ? null : ids;
}

/** Affected rows of an UPDATE or DELETE, on both dialects. */
export async function changedRows(
  sequelize: Sequelize,
  sql: string,
  replacements: Record<string, unknown>,
  transaction?: Transaction,
): Promise<number> {
  const affected = await sequelize.query(sql, {
    type: QueryTypes.BULKUPDATE,
    replacements,
    transaction,
  });
  return Number(affected);
}
