import {
  QueryTypes,
  Utils,
  type FindOptions,
  type Model,
  type ModelStatic,
  type Sequelize,
  type Transaction,
} from "sequelize";
import { SqlLiterals, insertTuples, insertTuplesWithIds, type SqlValue } from "../db/bulk";
import { insertReturningId } from "../db/connection";
import { checkStatement, type TableRef } from "./statement";
import { businessTable, ownerColumns, tenantTables } from "./tables";
import { scopeOf, tenantWhere, type Scoped, type TenantScope } from "./scope";

/**
 * Raw SQL on tenant tables, scoped like tenantWhere: statements are tagged templates whose
 * values become escaped literals, and every tenant table a statement names (FROM, JOIN, UPDATE,
 * DELETE … FROM) needs `${sql.scoped(alias)}` in it — the builder writes `alias.business_id = <id>`
 * (plus the member's ownership for roles that see only their own records) and throws at build
 * time when an alias has no marker. INSERTs into tenant tables go through insertRows /
 * insertTuplesWithIds, which put business_id into every row themselves, or INSERT … SELECT with
 * `${sql.businessId}` in a column list that names business_id.
 *
 *   const sql = tenantSql(deps, ctx, transaction);
 *   await sql.changed`DELETE FROM customers WHERE ${sql.scoped("customers")} AND id IN ${ids}`;
 */
export type SqlPart = SqlValue | readonly SqlValue[] | Marker | Raw | Trusted;

class Marker {
  constructor(
    readonly kind: "scope" | "businessId",
    readonly alias = "",
  ) {}
}

/** Text written into the statement as is, and checked with it (column lists, SET clauses). */
class Raw {
  constructor(readonly text: string) {}
}

/** A statement the builder wrote itself, already scoped (modelSelect, fragment). */
class Trusted {
  constructor(readonly text: string) {}
}

/** A checked piece of a statement (see TenantSql.fragment); `text` is its rendered SQL. */
export type SqlFragment = Trusted;

type Template = TemplateStringsArray;

export interface TenantSql {
  readonly scope: TenantScope;
  /** Renders values for tuples (insertTuplesWithIds) the way statements render them. */
  readonly literals: SqlLiterals;
  /** The scope condition of the table or alias `alias`, e.g. `c.business_id = 7`. */
  scoped(alias: string): Marker;
  /** The business id as a value, for the business_id column of an INSERT … SELECT. */
  readonly businessId: Marker;
  /** Trusted SQL text (never user input), checked as part of the statement. */
  raw(text: string): Raw;
  /** The statement's text, checked (for Sequelize literals and subqueries). */
  text(strings: Template, ...values: SqlPart[]): string;
  /**
   * A piece of a statement — a condition, a subquery — checked on its own (every tenant table it
   * names needs its marker here) and rendered with its values. A statement it goes into takes it
   * in parentheses as one opaque part: its values never change that statement's shape, which is
   * then checked once for every search text (composing filtered lists).
   */
  fragment(strings: Template, ...values: SqlPart[]): SqlFragment;
  select<T extends object>(strings: Template, ...values: SqlPart[]): Promise<T[]>;
  /** UPDATE or DELETE; resolves with the number of rows changed. */
  changed(strings: Template, ...values: SqlPart[]): Promise<number>;
  /** Any other statement (INSERT … SELECT). */
  run(strings: Template, ...values: SqlPart[]): Promise<void>;
  /**
   * The SELECT Sequelize writes for a model query, scoped with tenantWhere: for wrapping in raw
   * SQL (a capped count).
   */
  modelSelect(model: ModelStatic<Model>, options: ModelSelectOptions): Trusted;
  /** One row's INSERT, outside any transaction (committed at once), with the scope's business_id. */
  insertRow(table: string, columns: string[], values: SqlValue[]): Promise<number>;
  /** Multi-row INSERT of `rows` (values of `columns`), each with the scope's business_id. */
  insertRows(table: string, columns: string[], rows: SqlValue[][]): Promise<void>;
  /**
   * Multi-row INSERT of rendered tuples (`sql.literals.row(values)`, without business_id, which
   * is put first in each), returning their ids in order or null (see db/bulk.ts).
   */
  insertTuplesWithIds(table: string, columns: string[], tuples: string[]): Promise<number[] | null>;
}

export type ModelSelectOptions = Pick<FindOptions, "attributes" | "limit" | "order"> & {
  where?: Record<string | symbol, unknown>;
};

interface QueryGenerator {
  selectQuery(table: string, options: object, model: ModelStatic<Model>): string;
}

/**
 * checkStatement's answer depends only on the statement's shape (template text, raw fragments,
 * markers), which a call site repeats with every request: checked once per shape, not per call
 * (the check was 2–3% of a customer list page's CPU).
 */
const checkedShapes = new Map<string, ReturnType<typeof checkStatement>>();

function checkedStatement(shape: Array<string | { marker: number }>, markers: Marker[]) {
  const key =
    shape.map((piece) => (typeof piece === "string" ? piece : "\u0000")).join("\u0001") +
    markers.map((m) => `\u0002${m.kind}:${m.alias}`).join("");
  let refs = checkedShapes.get(key);
  if (!refs) {
    refs = checkStatement(shape, markers);
    if (checkedShapes.size >= 1000) checkedShapes.clear();
    checkedShapes.set(key, refs);
  }
  return refs;
}

/** The scope condition of one table reference. */
function scopeCondition(scope: TenantScope, ref: TableRef): string {
  if (ref.table === businessTable) return `(${ref.alias}.id = ${scope.businessId})`;
  const owners = scope.ownRecordsOf === null ? [] : ownerColumns(ref.table);
  const own = owners.map((column) => `${ref.alias}.${column} = ${scope.ownRecordsOf}`);
  const business = `${ref.alias}.business_id = ${scope.businessId}`;
  return own.length ? `(${business} AND (${own.join(" OR ")}))` : `(${business})`;
}

function tenantInsert(table: string, columns: string[]): void {
  if (!(table in tenantTables)) throw new Error(`tenantSql: ${table} is not a tenant table`);
  if (columns.includes("business_id"))
    throw new Error("tenantSql: business_id comes from the scope, not from the rows");
}

/**
 * Raw SQL scoped to a member's context or an explicit scope (see scope.ts), optionally inside a
 * transaction.
 */
export function tenantSql(
  deps: { sequelize: Sequelize },
  scoped: Scoped,
  transaction?: Transaction,
): TenantSql {
  const { sequelize } = deps;
  const scope = scopeOf(scoped);
  const literals = new SqlLiterals(sequelize);
  const lead = `(${scope.businessId}, `;
  const withBusiness = (tuple: string) => lead + tuple.slice(1);

  function build(strings: Template, values: SqlPart[]): string {
    const shape: Array<string | { marker: number }> = [];
    const markers: Marker[] = [];
    const rendered: Array<string | Marker> = [];
    strings.forEach((piece, i) => {
      shape.push(piece);
      rendered.push(piece);
      if (i === values.length) return;
      const value = values[i];
      if (value === undefined) throw new Error(`tenantSql: value ${i} is undefined`);
      if (value instanceof Marker) {
        shape.push({ marker: markers.length });
        markers.push(value);
        rendered.push(value);
      } else if (value instanceof Raw) {
        shape.push(value.text);
        rendered.push(value.text);
      } else if (value instanceof Trusted) {
        shape.push(" ? ");
        rendered.push(`(${value.text})`);
      } else if (Array.isArray(value)) {
        shape.push(" ? ");
        rendered.push(value.length ? literals.list(value as SqlValue[]) : "(NULL)");
      } else {
        shape.push(" ? ");
        rendered.push(literals.value(value as SqlValue));
      }
    });
    const refsByMarker = checkedStatement(shape, markers);
    let text = "";
    let next = 0;
    for (const piece of rendered) {
      if (typeof piece === "string") text += piece;
      else {
        const ref = refsByMarker[next++];
        text +=
          piece.kind === "businessId" ? String(scope.businessId) : scopeCondition(scope, ref!);
      }
    }
    // Statements are written indented inside code; logs and tests see them from their verb.
    return text.trim();
  }

  return {
    scope,
    literals,
    scoped: (alias) => new Marker("scope", alias),
    businessId: new Marker("businessId"),
    raw: (text) => new Raw(text),
    text: (strings, ...values) => build(strings, values),
    fragment: (strings, ...values) => new Trusted(build(strings, values)),
    select: <T extends object>(strings: Template, ...values: SqlPart[]) =>
      sequelize.query<T>(build(strings, values), { type: QueryTypes.SELECT, transaction }),
    async changed(strings, ...values) {
      const affected = await sequelize.query(build(strings, values), {
        type: QueryTypes.BULKUPDATE,
        transaction,
      });
      return Number(affected);
    },
    async run(strings, ...values) {
      await sequelize.query(build(strings, values), { type: QueryTypes.RAW, transaction });
    },
    modelSelect(model, options) {
      const generator = sequelize.getQueryInterface().queryGenerator as QueryGenerator;
      const where = tenantWhere(scope, model, options.where ?? {});
      const text = generator.selectQuery(
        model.getTableName() as string,
        // selectQuery takes column names; findAll would map attribute names itself.
        { ...options, where: Utils.mapWhereFieldNames(where as object, model) },
        model,
      );
      return new Trusted(text.replace(/;\s*$/, ""));
    },
    insertRow(table, columns, values) {
      tenantInsert(table, columns);
      if (transaction) throw new Error("tenantSql: insertRow commits on its own");
      const list = ["business_id", ...columns].join(", ");
      return insertReturningId(
        sequelize,
        `INSERT INTO ${table} (${list}) VALUES ${withBusiness(literals.row(values))}`,
      );
    },
    async insertRows(table, columns, rows) {
      tenantInsert(table, columns);
      if (!transaction) throw new Error("tenantSql: insertRows runs inside a transaction");
      const tuples = rows.map((row) => withBusiness(literals.row(row)));
      await insertTuples(sequelize, table, ["business_id", ...columns], tuples, transaction);
    },
    async insertTuplesWithIds(table, columns, tuples) {
      tenantInsert(table, columns);
      if (!transaction) throw new Error("tenantSql: insertTuplesWithIds runs inside a transaction");
      return insertTuplesWithIds(
        sequelize,
        table,
        ["business_id", ...columns],
        tuples.map(withBusiness),
        transaction,
      );
    },
  };
}
