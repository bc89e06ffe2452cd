import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { projectRoot } from "../config";
import { tenantTables } from "./tables";

/**
 * Raw SQL on a tenant table is written only through tenantSql (sql.ts), whose templates are
 * checked when built. This reads every string and template literal of the app's code and fails on
 * SQL naming a tenant table anywhere else — a statement that would skip the business filter.
 */
const builderMethods = new Set(["select", "changed", "run", "text", "fragment"]);

/** Places allowed to name tenant tables in SQL of their own, and why. */
const allowed: Record<string, string> = {
  "src/tenancy/statement.ts": "the builder's own check and its messages",
  "src/tenancy/loader.ts":
    "a person's own memberships in every business: the context is loaded from them (account level)",
  // Not converted yet: these files belong to the fault-tolerance work of issue 9 (leases, runs).
  "src/commands/imports/finish.ts": "to convert: import status updates by id and lease owner",
  "src/commands/imports/run.ts": "to convert: the resume's read of rejected rows by import id",
  "src/commands/imports/lease.ts": "to convert: claims by id and business, renewals by lease owner",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [full] : [];
  });
}

const tables = Object.keys(tenantTables).join("|");
const namesTenantTable = new RegExp(
  `\\b(from|join|update|into|table)\\s+[\`"]?(${tables})(?![\\w.])`,
  "i",
);
const isStatement = /\b(select|update|delete|insert|replace)\b/i;

/** The SQL-looking literals of a file that name a tenant table, outside tenantSql templates. */
export function unscopedSql(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const literalText = (node: ts.Node): string | null => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node))
      return [node.head.text, ...node.templateSpans.map((s) => ` ? ${s.literal.text}`)].join("");
    return null;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = node.tag;
      if (ts.isPropertyAccessExpression(tag) && builderMethods.has(tag.name.text)) {
        ts.forEachChild(node.template, visit);
        return;
      }
    }
    const sql = literalText(node);
    if (sql !== null && isStatement.test(sql) && namesTenantTable.test(sql)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${file}:${line + 1}: ${sql.replace(/\s+/g, " ").slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("raw SQL on tenant tables", () => {
  it("is written only through tenantSql", () => {
    const files = ["src", "workers"].flatMap((dir) => sourceFiles(path.join(projectRoot, dir)));
    expect(files.length).toBeGreaterThan(100);
    const outside = files.flatMap((full) => {
      const file = path.relative(projectRoot, full);
      return file in allowed ? [] : unscopedSql(file, readFileSync(full, "utf8"));
    });
    expect(outside).toEqual([]);
  });

  it("is recognised in strings and templates, but not in tenantSql's own templates", () => {
    const code = [
      'const a = "SELECT id FROM customers WHERE id = ?";',
      "const b = `DELETE FROM customer_tags WHERE tag_id = ${id}`;",
      "const c = sql.select`SELECT id FROM customers c WHERE ${sql.scoped('c')}`;",
      'const d = "SELECT id FROM users";',
      'const e = "Imported from customers.csv";',
    ].join("\n");
    expect(unscopedSql("x.ts", code)).toEqual([
      "x.ts:1: SELECT id FROM customers WHERE id = ?",
      "x.ts:2: DELETE FROM customer_tags WHERE tag_id = ? ",
    ]);
  });
});
