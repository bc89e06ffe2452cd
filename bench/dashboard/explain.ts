import type { RowDataPacket } from "mysql2/promise";
import { performance } from "node:perf_hooks";
import { readFeed } from "../../src/commands/activityFeed";
import { firstRunChecklist } from "../../src/commands/dashboard/checklist";
import { dashboardSummary } from "../../src/commands/dashboard/summary";
import { globalSearch } from "../../src/commands/search/global";
import type { Deps } from "../../src/deps";
import { createSequelize } from "../../src/db/connection";
import { systemClock } from "../../src/lib/clock";
import { initModels } from "../../src/models";
import type { TenantContext } from "../../src/tenancy/context";
import type { BenchDatabase } from "../customers/database";
import { ms, say, table } from "../lib/format";

/**
 * The plan of every statement behind the dashboard and a search: each SELECT the commands send is
 * captured once, then EXPLAINed on the raw connection. A full table scan (type ALL) or an index
 * scan of a whole table (type index) is flagged: at 1M customers either would miss 50 ms; one of a
 * table under 100 rows in all is not.
 */
interface WatchedConnection {
  query: (read: unknown, ...rest: unknown[]) => unknown;
}
interface WatchedPool {
  getConnection: (options: unknown) => Promise<WatchedConnection>;
}
const watched = new WeakSet<object>();
/** Rows below which a whole-table read is the planner's choice, not a missing index. */
const smallTable = 100;

export async function explainDashboard(
  db: BenchDatabase,
  ctx: TenantContext,
  search: string,
): Promise<string[]> {
  let captured: string[] | null = null;
  const sequelize = createSequelize(
    { dialect: "mysql", url: db.url },
    { logging: (sql) => captured?.push(sql.replace(/^Executing \([^)]*\): /, "")) },
  );
  // Raw reads (db/connection.ts selectRows) go straight to a pooled mysql2 connection, past
  // Sequelize's logging: the pool hands out connections whose query() is watched too.
  const pool = (sequelize as unknown as { connectionManager: WatchedPool }).connectionManager;
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = async (options) => {
    const connection = await getConnection(options);
    if (!watched.has(connection)) {
      const query = connection.query.bind(connection);
      connection.query = (read: unknown, ...rest: unknown[]) => {
        const text = typeof read === "string" ? read : (read as { sql?: string }).sql;
        if (text) captured?.push(text);
        return query(read, ...rest);
      };
      watched.add(connection);
    }
    return connection;
  };
  const models = initModels(sequelize);
  const deps = { sequelize, models, clock: systemClock } as unknown as Deps;
  const flagged: string[] = [];
  try {
    const work: Array<[string, () => Promise<unknown>]> = [
      ["numbers", () => dashboardSummary(deps, ctx)],
      ["checklist", () => firstRunChecklist(deps, ctx)],
      ["recent activity", () => readFeed(deps, ctx, {}, { limit: 8 })],
      [`search "${search}"`, () => globalSearch(deps, ctx, search)],
    ];
    const rows: string[][] = [];
    for (const [name, run] of work) {
      captured = [];
      await run();
      const statements = captured.filter((s) => /^\s*(SELECT|\(SELECT)/i.test(s));
      captured = null;
      for (const [i, statement] of statements.entries()) {
        const times: number[] = [];
        for (let run = 0; run < 3; run++) {
          const started = performance.now();
          await db.connection.query(statement);
          times.push(performance.now() - started);
        }
        const took = times.sort((a, b) => a - b)[1]!;
        const [plan] = await db.connection.query<RowDataPacket[]>(`EXPLAIN ${statement}`);
        for (const step of plan) {
          const type = String(step.type ?? "");
          const scan = type === "ALL" || type === "index";
          const tableName = String(step.table ?? "");
          // Derived tables and subqueries show as <derivedN>: their inner steps are listed too.
          // A table of a few dozen rows in all is read whole by choice (pipeline_stages holds 8
          // here; with 4,000 the same statement used its business index, checked 2026-12-02).
          if (scan && !tableName.startsWith("<") && Number(step.rows) >= smallTable)
            flagged.push(`${name} #${i + 1}: ${tableName} ${type} (${step.rows} rows)`);
          rows.push([
            step === plan[0] ? `${name} #${i + 1} (${ms(took)})` : "",
            tableName,
            type,
            String(step.key ?? ""),
            String(step.rows ?? ""),
            String(step.Extra ?? "").slice(0, 50),
          ]);
        }
      }
    }
    say();
    say("EXPLAIN of each statement, with its median time alone (BENCH_EXPLAIN=0 skips):");
    say(table(["statement", "table", "type", "key", "rows", "extra"], rows, "lllllr"));
    say(
      flagged.length
        ? `Scans over a whole table:\n  ${flagged.join("\n  ")}`
        : "No statement scans a whole table.",
    );
    return flagged;
  } finally {
    await sequelize.close();
  }
}
