/**
 * Dashboard and global-search benchmark (issue 15): the server work of GET / (the dashboard's
 * numbers, the first-run checklist and the recent activity, read side by side as the page reads
 * them) and of GET /search for a surname, a phone's digits and a word that matches nothing, at
 * 1,000,000 customers and 100,000 deals, with the bare baseline timed in the same run.
 *
 *   npm run bench:dashboard                                   (the issue's size; seeds once)
 *   BENCH_CUSTOMERS=20000 BENCH_DEALS=2000 npm run bench:dashboard   (a quick trial)
 *
 * Seeding: business A of the customers seed (bench/customers/database.ts; `npx tsx bench/seed.ts`
 * seeds it for every benchmark) plus what the dashboard reads (bench/dashboard/seed.ts: deals,
 * tasks, a sent campaign, social posts), added once. A size other than the issue's goes to its
 * own database (crm_bench_dash_<customers>), so a trial never replaces the full seed.
 *
 * Three parts, each against its baseline: (1) the commands in this process, each alone,
 * `BENCH_RUNS` times after 5 warm-up runs, beside the bare query (bench/baseline/query.ts: the
 * latest 25 customers), the numbers also as the first view after a change (nothing remembered); (2) over HTTP, the built app (NODE_ENV=production) one request at a time
 * with the server's own time from Server-Timing, beside the bare baseline server; (3) the EXPLAIN
 * of every statement, flagging whole-table scans. Targets: p95 ≤ 50 ms.
 *
 * Settings: BENCH_DATABASE_URL, BENCH_CUSTOMERS (1000000), BENCH_DEALS (100000), BENCH_RUNS (50),
 * BENCH_HTTP_DURATION (10 s; 0 skips), BENCH_EXPLAIN (1; 0 skips).
 * It exits 0 when a target fails (a benchmark, not a test) and says so.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { RowDataPacket } from "mysql2/promise";
import { readFeed } from "../src/commands/activityFeed";
import { firstRunChecklist } from "../src/commands/dashboard/checklist";
import { forgetRemembered } from "../src/commands/dashboard/remembered";
import { dashboardSummary } from "../src/commands/dashboard/summary";
import { globalSearch } from "../src/commands/search/global";
import type { Deps } from "../src/deps";
import { systemClock } from "../src/lib/clock";
import { loadTenantContext } from "../src/tenancy/loader";
import type { TenantContext } from "../src/tenancy/context";
import { latestSql } from "./baseline/query";
import {
  benchEmail,
  businessNames,
  createDatabaseIfMissing,
  databaseName,
  ensureSeeded,
  migrate,
  openDatabase,
  type BenchDatabase,
} from "./customers/database";
import { explainDashboard } from "./dashboard/explain";
import { measureOverHttp } from "./dashboard/http";
import { ensureDashboardSeed } from "./dashboard/seed";
import { int, ms, say, table } from "./lib/format";
import { percentile } from "./lib/load";

const customers = Math.max(1000, Number(process.env.BENCH_CUSTOMERS || 1_000_000));
const deals = Math.max(0, Number(process.env.BENCH_DEALS || 100_000));
const fullSize = customers === 1_000_000;
const databaseUrl =
  process.env.BENCH_DATABASE_URL ||
  `mysql://root@127.0.0.1:3306/${fullSize ? "crm_bench" : `crm_bench_dash_${customers}`}`;
const runs = Math.max(1, Number(process.env.BENCH_RUNS || 50));
const httpDuration = Math.max(0, Number(process.env.BENCH_HTTP_DURATION ?? 10));
const explain = process.env.BENCH_EXPLAIN !== "0";
const targetP95 = 50;

async function rows(db: BenchDatabase, sql: string, values: unknown[] = []) {
  const [found] = await db.connection.query<RowDataPacket[]>(sql, values);
  return found;
}

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  if (!/bench/i.test(databaseName(databaseUrl)))
    throw new Error(`The database's name must contain "bench": it may be dropped and reseeded.`);
  await createDatabaseIfMissing(databaseUrl);
  let db = await openDatabase(databaseUrl);
  try {
    say(`Migrations applied: ${await migrate(db)}.`);
    // The customers seed's B business: 100,000 beside 1M (as bench/seed.ts), a tenth otherwise.
    const seeded = await ensureSeeded(db, { a: customers, b: fullSize ? 100_000 : customers / 10 });
    db = seeded.db;
    await ensureDashboardSeed(db, seeded.seeded.businessA, seeded.seeded.userId, {
      deals,
      tasks: Math.round(deals / 5),
      recipients: Math.min(10_000, customers),
      posts: 200,
      users: 2_000,
    });
    const [business] = await rows(
      db,
      `SELECT b.id, b.customer_count FROM businesses b JOIN users u ON u.id = b.owner_id
       WHERE u.email = ? AND b.name = ?`,
      [benchEmail, businessNames.a],
    );
    if (!business) throw new Error(`No business A in ${db.name} after seeding`);
    const businessId = Number(business.id);
    const counts = await rows(
      db,
      `SELECT (SELECT COUNT(*) FROM deals WHERE business_id = ?) AS deals,
              (SELECT COUNT(*) FROM leads WHERE business_id = ?) AS leads,
              (SELECT COUNT(*) FROM tasks WHERE business_id = ?) AS tasks`,
      [businessId, businessId, businessId],
    );
    const c = counts[0]!;
    say(
      `Business A #${businessId}: ${int(Number(business.customer_count))} customers, ` +
        `${int(Number(c.deals))} deals, ${int(Number(c.leads))} leads, ${int(Number(c.tasks))} tasks; ` +
        `${runs} runs each; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs ` +
        "(figures are only meaningful on a quiet machine).",
    );
    const ctx = await loadTenantContext(db, { businessId, userId: null });
    if (!ctx) throw new Error("The bench owner has no context in business A");
    const deps = { sequelize: db.sequelize, models: db.models, clock: systemClock } as Deps;
    const owner: TenantContext = { ...ctx, system: false };
    const [sample] = await rows(
      db,
      "SELECT name, phone_e164 FROM customers WHERE business_id = ? ORDER BY id LIMIT 1 OFFSET 5000",
      [businessId],
    );
    const surname = String(sample?.name ?? "Sharma")
      .split(" ")
      .pop()!;
    const digits = String(sample?.phone_e164 ?? "+919800000000").slice(-6);

    const scenarios: Array<[string, () => Promise<unknown>]> = [
      ["baseline: latest 25 customers (bare query)", () => rows(db, latestSql, [businessId])],
      ["dashboard: numbers", () => dashboardSummary(deps, owner)],
      // The first view after a write that changed the remembered counts (or a new process).
      [
        "dashboard: numbers, first view after a change",
        () => {
          forgetRemembered();
          return dashboardSummary(deps, owner);
        },
      ],
      ["dashboard: checklist", () => firstRunChecklist(deps, owner)],
      ["dashboard: recent activity", () => readFeed(deps, owner, {}, { limit: 8 })],
      [
        "dashboard: all (as GET / reads them)",
        () =>
          Promise.all([
            dashboardSummary(deps, owner),
            firstRunChecklist(deps, owner),
            readFeed(deps, owner, {}, { limit: 8 }),
          ]),
      ],
      [`search: surname "${surname}"`, () => globalSearch(deps, owner, surname)],
      [`search: phone digits "${digits}"`, () => globalSearch(deps, owner, digits)],
      ['search: no match "zzqx"', () => globalSearch(deps, owner, "zzqx")],
    ];
    const results: string[][] = [];
    const failures: string[] = [];
    for (const [name, work] of scenarios) {
      const times = await timed(work);
      const p95 = percentile(times, 95);
      const checked = name.startsWith("dashboard: all") || name.startsWith("search");
      if (checked && p95 > targetP95) failures.push(`${name}: p95 ${ms(p95)} > ${targetP95} ms`);
      results.push([
        name,
        ms(percentile(times, 50)),
        ms(p95),
        ms(times[times.length - 1]!),
        checked ? (p95 <= targetP95 ? "ok" : "MISSED") : "",
      ]);
    }
    say(table(["scenario", "p50", "p95", "max", `p95 ≤ ${targetP95} ms`], results, "lrrrl"));
    if (httpDuration > 0)
      failures.push(
        ...(await measureOverHttp({
          databaseUrl,
          businessId,
          searches: [surname, digits],
          duration: httpDuration,
          target: targetP95,
        })),
      );
    if (explain)
      failures.push(...(await explainDashboard(db, owner, surname)).map((f) => `scan: ${f}`));
    say(failures.length ? `Targets missed:\n  ${failures.join("\n  ")}` : "All targets met.");
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
