/**
 * What one request of each page costs in CPU — the app's Node process and the database server's
 * threads serving it — compared between builds of the app, alternating them so a busy machine
 * moves both alike:
 *
 *   npx tsx bench/cost.ts                                   (this checkout's build)
 *   COST_APPS=/tmp/before,. npx tsx bench/cost.ts           (another build first, then this one)
 *
 * Each app directory needs a build (`npm run build`; this checkout's is rebuilt when stale). For
 * each round and app: start it (production mode, as bench/lib/app.ts does), sign in as the
 * customers benchmark's owner with business A current, and for each page run autocannon for
 * COST_DURATION seconds after a warm-up, reading CPU time from /proc (schedstat: time on a CPU,
 * per thread): the app's threads, and the MariaDB threads of the connections open to the
 * benchmark database (processlist TID) — so other databases' work on a shared server is not
 * counted. Prints per page and app the least and the median over rounds of Node and DB ms per
 * request (the least is the round other work disturbed least), req/s and statements per page.
 *
 * Settings: COST_APPS (comma-separated app roots, default this checkout), COST_PATHS
 * (comma-separated; default the benchmark's pages: shell, list, page 5, surname, phone and tag
 * searches), COST_ROUNDS (3), COST_DURATION (5 s), COST_WARMUP (2 s), COST_CONNECTIONS (10),
 * BENCH_DATABASE_URL (as bench/customers.ts).
 */
import path from "node:path";
import type { RowDataPacket } from "mysql2/promise";
import { buildIfStale, root, startApp } from "./lib/app";
import { Browser, csrfFrom, decodeEntities } from "./lib/browser";
import { databaseServerPid } from "./lib/cpu";
import { int, say, table } from "./lib/format";
import { measure } from "./lib/load";
import type { ServerProcess } from "./lib/processes";
import { cpuMsBetween, threadTimes } from "./lib/threadCpu";
import { mysqlBenchUrl } from "./lib/settings";
import { benchEmail, benchPassword, businessNames, openDatabase } from "./customers/database";

const settings = {
  databaseUrl: mysqlBenchUrl(),
  apps: (process.env.COST_APPS || root).split(",").map((dir) => path.resolve(root, dir)),
  paths: process.env.COST_PATHS?.split(",").filter(Boolean),
  rounds: Number(process.env.COST_ROUNDS || 3),
  duration: Number(process.env.COST_DURATION || 5),
  warmup: Number(process.env.COST_WARMUP || 2),
  connections: Number(process.env.COST_CONNECTIONS || 10),
};

const defaultPaths = [
  "/businesses",
  "/customers",
  "page5",
  "/customers?q=sharm",
  "/customers?q=902571",
  "/customers?tags=wholesale",
];

function startAppAt(dir: string): Promise<ServerProcess> {
  return startApp({
    name: `the app in ${dir}`,
    cwd: dir,
    databaseUrl: settings.databaseUrl,
    logLevel: "info",
    logFile: path.join(root, "var/bench/cost-app.log"),
  });
}

function nextLinkOf(html: string): string | null {
  const tag = /<a\b[^>]*\brel="next"[^>]*>/.exec(html)?.[0];
  const href = tag && /\bhref="([^"]+)"/.exec(tag)?.[1];
  return href ? decodeEntities(href) : null;
}

interface Sample {
  nodeMs: number;
  dbMs: number;
  reqPerSec: number;
  statements: number;
  bad: number;
}

async function main(): Promise<void> {
  if (settings.apps.includes(root)) buildIfStale();
  const db = await openDatabase(settings.databaseUrl);
  const dbName = new URL(settings.databaseUrl).pathname.slice(1);
  const dbPid = databaseServerPid();
  if (!dbPid) throw new Error("No local MariaDB/MySQL server process found");
  const [[own]] = await db.connection.query<RowDataPacket[]>("SELECT CONNECTION_ID() AS id");
  const [[business]] = await db.connection.query<RowDataPacket[]>(
    "SELECT id FROM businesses WHERE name = ? ORDER BY id LIMIT 1",
    [businessNames.a],
  );
  if (!business) throw new Error("No benchmark seed: run npm run bench:customers first");
  /** Threads of the database server serving connections to the benchmark database but ours. */
  const servingThreads = async () => {
    const [rows] = await db.connection.query<RowDataPacket[]>(
      "SELECT TID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> ?",
      [dbName, own?.id],
    );
    return new Set(rows.map((r) => Number(r.TID)));
  };

  const samples = new Map<string, Sample[]>();
  const key = (app: string, p: string) => `${app}\u0000${p}`;
  let paths = settings.paths ?? defaultPaths;
  for (let round = 1; round <= settings.rounds; round++) {
    for (const dir of settings.apps) {
      const app = await startAppAt(dir);
      try {
        const browser = new Browser(app.url);
        await browser.signIn(benchEmail, benchPassword);
        const shell = await browser.get("/businesses");
        await browser.request(`/businesses/${business.id}/switch`, {
          _csrf: csrfFrom(shell.text),
        });
        if (paths.includes("page5")) {
          let html = (await browser.get("/customers")).text;
          let link = "";
          for (let i = 0; i < 4; i++) {
            link = nextLinkOf(html) ?? "";
            html = (await browser.get(link)).text;
          }
          paths = paths.map((p) => (p === "page5" ? link : p));
        }
        const headers = { cookie: browser.cookieHeader };
        for (const p of paths) {
          const options = { connections: settings.connections, headers, serverTiming: true };
          await measure(app.url + p, { ...options, duration: settings.warmup, warmup: 0 });
          const threads = await servingThreads();
          const appBefore = threadTimes(app.child.pid!);
          const dbBefore = threadTimes(dbPid);
          const result = await measure(app.url + p, {
            ...options,
            duration: settings.duration,
            warmup: 0,
          });
          const appAfter = threadTimes(app.child.pid!);
          const dbAfter = threadTimes(dbPid);
          for (const tid of await servingThreads()) threads.add(tid);
          const n = Math.max(1, result.requests);
          const list = samples.get(key(dir, p)) ?? [];
          list.push({
            nodeMs: cpuMsBetween(appBefore, appAfter) / n,
            dbMs: cpuMsBetween(dbBefore, dbAfter, threads) / n,
            reqPerSec: result.reqPerSec,
            statements: result.server?.statements ?? Number.NaN,
            bad: result.bad,
          });
          samples.set(key(dir, p), list);
          say(
            `round ${round} ${path.relative(root, dir) || "."} ${p}: ${int(result.reqPerSec)} req/s, ` +
              `node ${(cpuMsBetween(appBefore, appAfter) / n).toFixed(3)} ms, db ${(cpuMsBetween(dbBefore, dbAfter, threads) / n).toFixed(3)} ms per request` +
              (result.bad ? ` (${result.bad} not 2xx!)` : ""),
          );
        }
      } finally {
        await app.stop();
      }
    }
  }
  await db.close();

  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] ?? Number.NaN;
  const least = (values: number[]) => sorted(values)[0] ?? Number.NaN;
  say();
  say(
    table(
      ["page", "app", "node min", "node med", "db min", "db med", "min sum", "req/s", "stmts"],
      paths.flatMap((p) =>
        settings.apps.map((dir) => {
          const list = samples.get(key(dir, p)) ?? [];
          const node = list.map((s) => s.nodeMs);
          const dbMs = list.map((s) => s.dbMs);
          return [
            p.length > 40 ? `${p.slice(0, 37)}...` : p,
            path.relative(root, dir) || ".",
            least(node).toFixed(3),
            median(node).toFixed(3),
            least(dbMs).toFixed(3),
            median(dbMs).toFixed(3),
            (least(node) + least(dbMs)).toFixed(3),
            int(median(list.map((s) => s.reqPerSec))),
            String(median(list.map((s) => s.statements))),
          ];
        }),
      ),
      "llrrrrrrr",
    ),
  );
  say(
    `CPU ms per request: the least and the median of ${settings.rounds} rounds (${settings.duration} s each at ` +
      `${settings.connections} connections); on a shared machine the least is the one other work disturbed least.`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/cost failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
