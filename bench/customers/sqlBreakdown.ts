import { performance } from "node:perf_hooks";
import type { RowDataPacket } from "mysql2/promise";
import { customerFilterSchema } from "../../src/commands/customers/filter";
import { listCustomers } from "../../src/commands/customers/list";
import type { Deps } from "../../src/deps";
import { createSequelize } from "../../src/db/connection";
import { systemClock } from "../../src/lib/clock";
import { initModels } from "../../src/models";
import { pageSchema } from "../../src/routes/customers/schema";
import { loadTenantContext } from "../../src/tenancy/loader";
import { ms, say } from "../lib/format";
import { percentile } from "../lib/load";
import type { BenchDatabase, SeededData } from "./database";
import type { Scenario } from "./settings";

/** The SQL behind each scenario of the customers benchmark, each statement timed alone. */
interface Captured {
  sql: string;
}

export async function sqlBreakdown(db: BenchDatabase, seeded: SeededData, scenarios: Scenario[]) {
  let capture: Captured[] | null = null;
  const sequelize = createSequelize(
    { dialect: "mysql", url: db.url },
    { logging: (sql) => capture?.push({ sql: sql.replace(/^Executing \([^)]*\): /, "") }) },
  );
  const models = initModels(sequelize);
  try {
    const ctx = await loadTenantContext(
      { models },
      { businessId: seeded.businessA, userId: seeded.userId },
    );
    if (!ctx) throw new Error("Seeded tenant not found");
    // listCustomers reads only the database handles and the clock of its deps.
    const deps = { sequelize, models, clock: systemClock } as unknown as Deps;

    say();
    say("SQL behind each page (the list command in-process, one at a time; each statement then");
    say("timed alone 30x on a raw connection; ANALYZE for statements with p95 >= 1 ms):");
    for (const s of scenarios.filter((x) => x.kind !== "baseline" && x.kind !== "shell")) {
      const query = Object.fromEntries(new URL(s.path, "http://x").searchParams);
      const filter = customerFilterSchema.parse(query);
      const page = pageSchema.parse(query);
      // The page's own statements: the list command reads its rows' tags itself.
      const run = () => listCustomers(deps, ctx, filter, page);
      capture = [];
      try {
        await run();
      } catch (error) {
        say();
        say(
          `${s.name}: the list command failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        const failedSql = capture.map((c) => c.sql).pop();
        if (failedSql) say(`  last SQL: ${failedSql}`);
        capture = null;
        continue;
      }
      const statements = capture;
      capture = null;
      const times: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t0 = performance.now();
        await run();
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      say();
      say(`${s.name}: command p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}`);
      for (const { sql } of statements) {
        const sqlTimes: number[] = [];
        let rows = 0;
        for (let i = 0; i < 30; i++) {
          const t0 = performance.now();
          const [result] = await db.connection.query<RowDataPacket[]>(sql);
          sqlTimes.push(performance.now() - t0);
          rows = result.length;
        }
        sqlTimes.sort((x, y) => x - y);
        const p95 = percentile(sqlTimes, 95);
        const slow = p95 >= 1;
        const shown = slow ? sql : sql.length > 150 ? `${sql.slice(0, 147)}...` : sql;
        say(
          `  ${ms(percentile(sqlTimes, 50)).padStart(9)} p50 ${ms(p95).padStart(9)} p95 ${String(rows).padStart(4)} rows  ${shown}`,
        );
        if (slow && /^\s*SELECT/i.test(sql)) {
          const [plan] = await db.connection.query<RowDataPacket[]>(`ANALYZE ${sql}`);
          for (const r of plan) {
            say(
              `      ANALYZE ${r.select_type} ${r.table} type=${r.type} key=${r.key ?? "-"} ` +
                `rows=${r.rows} r_rows=${r.r_rows} filtered=${r.filtered} r_filtered=${r.r_filtered} | ${r.Extra ?? ""}`,
            );
          }
        }
      }
    }
  } finally {
    await sequelize.close();
  }
}
