import { businessTable, tenantTables } from "./tables";

/**
 * The build-time check of tenantSql (sql.ts): which tables a statement names, and whether each
 * tenant table has its scope marker. It reads the statement's own text (the template and raw
 * fragments, never the values), so a customer named "FROM customers" cannot confuse it; what it
 * cannot parse it refuses (a comma join), so the safe way to write a statement is the only one
 * that builds.
 */
export interface TableRef {
  keyword: string;
  table: string;
  /** The alias, or the table's own name when it has none. */
  alias: string;
  /** INSERT … INTO: the column list, lower-cased. */
  columns: string[] | null;
}

export interface MarkerLike {
  kind: "scope" | "businessId";
  alias: string;
}

/** Template text, with the position of each marker (by index). */
export type Shape = Array<string | { marker: number }>;

const referencing = new Set(["from", "join", "straight_join", "update", "into", "using", "table"]);
const notAliases = new Set([
  "where", "set", "on", "using", "join", "inner", "left", "right", "outer", "cross", "natural",
  "straight_join", "group", "order", "limit", "having", "union", "values", "value", "select",
  "for", "lock", "window", "force", "use", "ignore", "partition", "as", "into", "full", "except",
  "intersect", "offset", "returning", "default", "and", "or", "not", "from", "update", "delete",
  "insert", "table", "with", "when", "then", "else", "end", "in", "is", "exists",
]); // prettier-ignore

interface Token {
  text: string;
  identifier: boolean;
  marker?: number;
}

const markerChar = "\uE000";

function tokens(shape: Shape): Token[] {
  let text = "";
  for (const piece of shape)
    text += typeof piece === "string" ? piece : ` ${markerChar}${piece.marker}${markerChar} `;
  // String literals and comments name no table.
  text = text
    .replace(/'(?:[^'\\]|\\.)*'/g, " ? ")
    .replace(/--[^\n]*/g, " ")
    .replace(/\/\*[\s\S]*?\*\//g, " ");
  const found: Token[] = [];
  const pattern = /\uE000(\d+)\uE000|`([^`]+)`|"([^"]+)"|([A-Za-z_][A-Za-z0-9_$]*)|(\S)/g;
  for (const m of text.matchAll(pattern)) {
    if (m[1] !== undefined) found.push({ text: "", identifier: false, marker: Number(m[1]) });
    else if (m[5] !== undefined) found.push({ text: m[5], identifier: false });
    else found.push({ text: (m[2] ?? m[3] ?? m[4]) as string, identifier: true });
  }
  return found;
}

function columnList(list: Token[], from: number): string[] | null {
  if (list[from]?.text !== "(") return null;
  const columns: string[] = [];
  for (let i = from + 1; i < list.length && list[i]?.text !== ")"; i++)
    if (list[i]?.identifier) columns.push((list[i] as Token).text.toLowerCase());
  return columns;
}

/** The tables a statement names, in order. Throws on a comma join (list tables with JOIN). */
export function tableRefs(shape: Shape): TableRef[] {
  const list = tokens(shape);
  const refs: TableRef[] = [];
  for (let i = 0; i < list.length; i++) {
    const keyword = list[i] as Token;
    if (!keyword.identifier || !referencing.has(keyword.text.toLowerCase())) continue;
    const name = list[i + 1];
    if (!name?.identifier) continue;
    let at = i + 2;
    if (list[at]?.text.toLowerCase() === "as") at++;
    const candidate = list[at];
    const aliased = candidate?.identifier === true && !notAliases.has(candidate.text.toLowerCase());
    const alias = aliased ? (candidate as Token).text : name.text;
    const after = aliased ? at + 1 : i + 2;
    const kind = keyword.text.toLowerCase();
    if (list[after]?.text === "," && kind !== "into")
      throw new Error(
        `tenantSql: list tables with JOIN, not a comma (after ${name.text}): the check reads JOINs`,
      );
    refs.push({
      keyword: kind,
      table: name.text.toLowerCase(),
      alias,
      columns: kind === "into" ? columnList(list, i + 2) : null,
    });
  }
  return refs;
}

const scopable = (table: string) => table in tenantTables || table === businessTable;

/**
 * Checks that every tenant table the statement reads or changes has a scope marker for its alias
 * (and every INSERT into one carries the business id). Returns, for each marker, the table it
 * scopes (null for business-id markers).
 */
export function checkStatement(shape: Shape, markers: MarkerLike[]): Array<TableRef | null> {
  const refs = tableRefs(shape);
  const scoped = refs.filter((r) => r.keyword !== "into" && scopable(r.table));
  const byAlias = new Map<string, TableRef[]>();
  for (const ref of scoped) {
    const key = ref.alias.toLowerCase();
    byAlias.set(key, [...(byAlias.get(key) ?? []), ref]);
  }
  for (const [alias, same] of byAlias) {
    if (new Set(same.map((r) => r.table)).size > 1)
      throw new Error(`tenantSql: the alias ${alias} names two tables; give each its own`);
  }
  const result = markers.map((marker) => {
    if (marker.kind === "businessId") return null;
    const ref = byAlias.get(marker.alias.toLowerCase())?.[0];
    if (!ref)
      throw new Error(
        `tenantSql: scoped("${marker.alias}") names no tenant table of the statement (its tables: ${refs.map((r) => `${r.table} ${r.alias}`).join(", ") || "none"})`,
      );
    return ref;
  });
  for (const [alias, same] of byAlias) {
    const given = markers.filter(
      (m) => m.kind === "scope" && m.alias.toLowerCase() === alias,
    ).length;
    if (given < same.length)
      throw new Error(
        `tenantSql: ${same[0]?.table} (as ${same[0]?.alias}) is used without \${sql.scoped("${same[0]?.alias}")}: every statement on a tenant table filters by business`,
      );
  }
  const inserts = refs.filter((r) => r.keyword === "into");
  for (const ref of inserts) {
    if (ref.table === businessTable)
      throw new Error("tenantSql: businesses are created by their command, not by tenant SQL");
    if (!(ref.table in tenantTables)) continue;
    if (!ref.columns?.includes("business_id"))
      throw new Error(`tenantSql: INSERT INTO ${ref.table} must list business_id`);
  }
  const tenantInserts = inserts.filter((r) => r.table in tenantTables).length;
  const businessIds = markers.filter((m) => m.kind === "businessId").length;
  if (businessIds < tenantInserts)
    throw new Error(
      "tenantSql: an INSERT into a tenant table takes its business_id from ${sql.businessId}",
    );
  return result;
}
