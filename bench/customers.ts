/**
 * Customers benchmark (issues 4 and 9): the customer list, search and tag filter of the real app on
 * MySQL/MariaDB with 1,000,000 customers in one business, against a bare Express + Handlebars
 * page measured in the same run.
 *
 *   npm run bench:customers            (= npx tsx bench/customers.ts)
 *
 * What it does:
 *  1. Creates the database (default mysql://root@127.0.0.1:3306/crm_bench) when missing, applies
 *     the app's migrations to it (every index is the migration's; nothing dropped or disabled),
 *     and seeds it once: an owner with business A (1,000,000 customers) and business B (100,000),
 *     names, unique E.164 phones, some e-mails, ~30% birth dates, 0–3 tags from a pool of 20 —
 *     raw multi-row INSERTs, rate printed. Later runs reuse the seed (found by counts).
 *  2. Builds the app when dist/ is older than the sources (`npm run build`), starts it
 *     (NODE_ENV=production, dist/src/server.js) on a free port, and the baseline app
 *     (bench/baseline/server.ts: Express 5 + express-handlebars + one raw 25-row query, no
 *     middleware); signs in as A's owner through the login form and makes A current.
 *  3. For each page: 1 connection for 5 s first (with nothing queued, latency is the server time
 *     of one request), then autocannon at 50 connections (2 s warm-up, 10 s measured), then a
 *     wait until the server has served what autocannon abandoned. The pages: the baseline, the
 *     list page, a keyset page reached through "Next" links, a keyset page half-way through the
 *     million, a surname search, a phone-digits search and a tag filter (a tag on ~10% of the
 *     customers), then the baseline again (drift check).
 *  4. Prints req/s, p50, p95, p99, the ratio to the baseline's req/s, the server's own time under
 *     load (its Server-Timing header: total p50/p95, db p50, statements per page), the server's CPU
 *     per request and each target of issue 9:
 *       signed-in shell:                      req/s >= 0.5x the baseline
 *       list, page 5, deep keyset page,
 *       phone search, tag filter:             req/s >= 0.3x the baseline, p99 <= 100 ms (50 conn.)
 *       surname search:                       req/s >= 0.2x the baseline, 1-connection p95 <= 20 ms
 *     then, for diagnosis, every SQL statement the list command runs for each scenario, timed
 *     alone (p50/p95 of 30 runs) with MariaDB's ANALYZE of the slow ones.
 *
 * It exits 0 when targets fail (a benchmark, not a test) and names the failures.
 *
 * Settings (environment):
 *   BENCH_DATABASE_URL   mysql URL of the benchmark database (else DATABASE_URL when it is a
 *                        mysql URL, else mysql://root@127.0.0.1:3306/crm_bench). The database
 *                        name must contain "bench": a mismatching seed drops the database.
 *   BENCH_CUSTOMERS_A / BENCH_CUSTOMERS_B   seed sizes (1000000 / 100000)
 *   BENCH_CONNECTIONS (50), BENCH_DURATION (10 s), BENCH_WARMUP (2 s),
 *   BENCH_SERVER_TIME_DURATION (5 s, the 1-connection runs; 0 skips them)
 *   BENCH_APP_LOG_LEVEL  the app's LOG_LEVEL (info, the production default: a line per request)
 *   BENCH_EXPLAIN        0 skips the SQL breakdown
 *   BENCH_QUIET_WAIT     seconds to wait at most for other processes to leave the CPU (180)
 * Logs of the two servers: var/bench/customers-app.log, var/bench/customers-baseline.log.
 */
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { RowDataPacket } from "mysql2/promise";
import { latestSql } from "./baseline/query";
import { buildIfStale, productionNodeFlags, root, startApp } from "./lib/app";
import { Browser } from "./lib/browser";
import { CpuMeter, databaseServerPid, waitForQuiet } from "./lib/cpu";
import { int, ms, say } from "./lib/format";
import { measure, percentile } from "./lib/load";
import { drain, freePort, startServer, type ServerProcess } from "./lib/processes";
import {
  benchEmail,
  benchPassword,
  createDatabaseIfMissing,
  databaseName,
  ensureSeeded,
  migrate,
  openDatabase,
} from "./customers/database";
import { pct, report } from "./customers/report";
import { chooseScenarios, scalar } from "./customers/scenarios";
import { settings, type Measured } from "./customers/settings";
import { sqlBreakdown } from "./customers/sqlBreakdown";

async function startBaseline(databaseUrl: string, businessId: number): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "the baseline",
    command: process.execPath,
    args: [...productionNodeFlags, "--import", "tsx", "bench/baseline/server.ts"],
    cwd: root,
    port,
    readyPath: "/",
    logFile: path.join(root, "var/bench/customers-baseline.log"),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      BUSINESS_ID: String(businessId),
    },
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const name = databaseName(settings.databaseUrl);
  if (!/bench/i.test(name))
    throw new Error(
      `The benchmark database's name must contain "bench" (got "${name}"): it may be dropped and reseeded.`,
    );
  say(`Customers benchmark — ${new Date().toISOString()}`);

  await createDatabaseIfMissing(settings.databaseUrl);
  let db = await openDatabase(settings.databaseUrl);
  const servers: ServerProcess[] = [];
  try {
    const version = await scalar(db, "SELECT VERSION()");
    const pool = Number(await scalar(db, "SELECT @@innodb_buffer_pool_size"));
    say(
      `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ` +
        `MySQL ${String(version)} (buffer pool ${int(pool / 2 ** 20)} MB), database ${name}, ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(" ")}`,
    );
    const applied = await migrate(db);
    say(`Migrations: ${applied} applied now.`);

    const ensured = await ensureSeeded(db, { a: settings.customersA, b: settings.customersB });
    db = ensured.db;
    const seeded = ensured.seeded;
    if (seeded.stats) {
      const { a, b } = seeded.stats;
      const rows = a.customers + a.tagRows + b.customers + b.tagRows;
      const seconds = (a.ms + b.ms) / 1000;
      say(
        `Seeded ${int(a.customers + b.customers)} customers + ${int(a.tagRows + b.tagRows)} customer_tags rows ` +
          `in ${seconds.toFixed(1)} s: ${int((a.customers + b.customers) / seconds)} customers/s, ` +
          `${int(rows / seconds)} rows/s (building the rows in JS took ${((a.generateMs + b.generateMs) / 1000).toFixed(1)} s of it, ` +
          `overlapped with the inserts).`,
      );
    }
    const [sizes] = await db.connection.query<RowDataPacket[]>(
      `SELECT table_name AS t, table_rows AS r, data_length AS d, index_length AS i
       FROM information_schema.tables
       WHERE table_schema = ? AND table_name IN ('customers', 'customer_tags')`,
      [name],
    );
    say(
      `Sizes: ${sizes
        .map(
          (s) =>
            `${String(s.t)} ~${int(Number(s.r))} rows, data ${int(Number(s.d) / 2 ** 20)} MB + indexes ${int(Number(s.i) / 2 ** 20)} MB`,
        )
        .join("; ")}`,
    );

    const baselineTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await db.connection.query(latestSql, [seeded.businessA]);
      baselineTimes.push(performance.now() - t0);
    }
    baselineTimes.sort((x, y) => x - y);
    const baselineSql = percentile(baselineTimes, 50);
    say(
      `Baseline query alone: p50 ${ms(baselineSql)}` +
        (baselineSql > 5 ? " — WARNING: not an index range; the baseline measures a scan." : "."),
    );

    buildIfStale();
    const app = await startApp({
      databaseUrl: settings.databaseUrl,
      logLevel: settings.appLogLevel,
      logFile: path.join(root, "var/bench/customers-app.log"),
    });
    servers.push(app);
    const baseline = await startBaseline(settings.databaseUrl, seeded.businessA);
    servers.push(baseline);
    say(
      `App at ${app.url} (pid ${app.child.pid}, LOG_LEVEL=${settings.appLogLevel}), baseline at ${baseline.url} (pid ${baseline.child.pid}).`,
    );

    const browser = new Browser(app.url);
    await browser.signIn(benchEmail, benchPassword);
    const home = await browser.get("/customers");
    if (home.status === 404)
      throw new Error(
        "GET /customers answered 404: the customers pages are not mounted in this build",
      );
    // Make A the current business explicitly (the session's choice), whatever the default is.
    const switched = await browser.request(`/businesses/${seeded.businessA}/switch`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? "",
    });
    if (switched.status !== 302 && switched.status !== 303)
      throw new Error(`Switching to business A answered ${switched.status}`);

    const scenarios = await chooseScenarios(db, seeded, browser, baseline);
    const headers = { cookie: browser.cookieHeader };
    const ours = () =>
      [process.pid, app.child.pid, baseline.child.pid].filter((p): p is number => !!p);
    const dbPid = databaseServerPid();

    const quiet = await waitForQuiet(ours, dbPid, 30, settings.quietWait);
    say();
    say(
      quiet.others < 30
        ? `Machine quiet (others ${Math.round(quiet.others)}% of a core) after ${Math.round(quiet.waited)} s.`
        : `WARNING: other processes still use ${Math.round(quiet.others)}% of a core after ${Math.round(quiet.waited)} s; figures will be noisy.`,
    );
    const measured: Measured[] = [];
    for (const s of scenarios) {
      if (s.error) {
        say(`skipping ${s.name}: ${s.error}`);
        measured.push({ ...s });
        continue;
      }
      const onApp = s.kind !== "baseline";
      const server = onApp ? app : baseline;
      const url = server.url + s.path;
      const sent = onApp ? headers : undefined;
      const m: Measured = { ...s };
      measured.push(m);
      process.stdout.write(`measuring ${s.name} …`);
      // One connection first, on an idle server: the server time of one request.
      if (onApp && settings.serverTimeDuration > 0) {
        m.serverTime = await measure(url, {
          connections: 1,
          duration: settings.serverTimeDuration,
          warmup: 1,
          headers: sent,
          serverTiming: true,
        });
        process.stdout.write(` 1c p95 ${ms(m.serverTime.p95)};`);
      }
      const meter = new CpuMeter(ours, dbPid, server.child.pid);
      if (settings.warmup > 0) {
        const load = { connections: settings.connections, duration: settings.warmup };
        await measure(url, { ...load, warmup: 0, headers: sent });
      }
      meter.reset();
      m.load = await measure(url, {
        connections: settings.connections,
        duration: settings.duration,
        warmup: 0,
        headers: sent,
        serverTiming: onApp,
      });
      m.cpu = meter.read();
      process.stdout.write(
        ` ${int(m.load.reqPerSec)} req/s, p99 ${ms(m.load.p99)} (server ${pct(m.cpu.server)}, db ${pct(m.cpu.db)}, others ${pct(m.cpu.others)})`,
      );
      // Requests autocannon gave up on are still being served: wait them out before going on.
      const drained = await drain(server, onApp ? "/readyz" : "/");
      if (drained > 1) {
        process.stdout.write(`; ${drained.toFixed(0)} s to drain the backlog`);
        m.note = [m.note, `backlog drained in ${drained.toFixed(0)} s`].filter(Boolean).join("; ");
      }
      process.stdout.write("\n");
    }
    say();
    const failed = report(measured);
    say();
    say(failed.length ? `Targets missed: ${failed.join("; ")}.` : "All targets met.");
    say(
      `Load average now ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}.`,
    );

    for (const server of servers.splice(0)) await server.stop();
    if (settings.explain) await sqlBreakdown(db, seeded, scenarios);
    say();
    say(`Done in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    for (const server of servers) await server.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/customers failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
