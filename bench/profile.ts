/**
 * Where a page's CPU goes under load: starts the built app with `node --cpu-prof`, signs in as
 * the customers benchmark's owner (business A current), loads each page with autocannon, stops
 * the app and prints self time by module and by function, and the inclusive time of our own
 * functions, from the samples taken while the load ran.
 *
 *   npx tsx bench/profile.ts
 *
 * It needs the database `npm run bench:customers` seeded (it does not seed); a small seed is
 * enough to see per-request costs:
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/crm_bench_small BENCH_CUSTOMERS_A=20000 \
 *     BENCH_CUSTOMERS_B=2000 npm run bench:customers      (once, to seed)
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/crm_bench_small npx tsx bench/profile.ts
 *
 * Settings: PROFILE_PATHS (comma-separated, default /customers), PROFILE_DURATION (seconds per
 * path, 8), PROFILE_CONNECTIONS (10), PROFILE_TOP (rows per table, 20), PROFILE_LOG_LEVEL (info),
 * PROFILE_SEED (customers; "sales" signs in as the sales benchmark's owner instead, for
 * PROFILE_PATHS=/leads — seeded by `npm run bench:sales`).
 * The profile is kept in var/bench/prof/ for Chrome DevTools.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { RowDataPacket } from "mysql2/promise";
import { buildIfStale, root, startApp } from "./lib/app";
import { Browser, csrfFrom } from "./lib/browser";
import { summariseProfile, type Cost } from "./lib/cpuProfile";
import { int, ms, say, table } from "./lib/format";
import { measure } from "./lib/load";
import { mysqlBenchUrl } from "./lib/settings";
import {
  businessName as salesBusiness,
  ownerEmail as salesOwnerEmail,
  ownerPassword as salesOwnerPassword,
} from "./sales/seed";
import {
  benchEmail,
  benchPassword,
  businessNames,
  migrate,
  openDatabase,
} from "./customers/database";

const settings = {
  databaseUrl: mysqlBenchUrl(),
  paths: (process.env.PROFILE_PATHS || "/customers").split(",").filter(Boolean),
  duration: Number(process.env.PROFILE_DURATION || 8),
  connections: Number(process.env.PROFILE_CONNECTIONS || 10),
  top: Number(process.env.PROFILE_TOP || 20),
  logLevel: process.env.PROFILE_LOG_LEVEL || "info",
  seed: (process.env.PROFILE_SEED === "sales" ? "sales" : "customers") as "sales" | "customers",
};

/** Who signs in, and the business the pages are of. */
const seeds = {
  customers: { email: benchEmail, password: benchPassword, business: businessNames.a },
  sales: { email: salesOwnerEmail, password: salesOwnerPassword, business: salesBusiness },
} as const;
const seed = seeds[settings.seed];

function costs(title: string, unit: string, rows: Cost[]): void {
  say();
  say(
    table(
      [title, unit, "% busy"],
      rows.map((c) => [c.name, int(c.ms), `${c.pct.toFixed(1)}%`]),
      "lrr",
    ),
  );
}

/** Business A of the seed, after applying any migration the app's build expects. */
async function businessA(url: string): Promise<number> {
  const db = await openDatabase(url);
  try {
    const applied = await migrate(db);
    if (applied) say(`Migrations: ${applied} applied now.`);
    const [rows] = await db.connection.query<RowDataPacket[]>(
      "SELECT id FROM businesses WHERE name = ? ORDER BY id LIMIT 1",
      [seed.business],
    );
    const id = rows[0]?.id as number | undefined;
    if (!id)
      throw new Error("No benchmark seed in this database: run npm run bench:customers first");
    return id;
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const business = await businessA(settings.databaseUrl);
  buildIfStale();
  const dir = path.join(root, "var/bench/prof");
  mkdirSync(dir, { recursive: true });
  for (const old of readdirSync(dir)) rmSync(path.join(dir, old));
  const spawnedAt = performance.now();
  const app = await startApp({
    databaseUrl: settings.databaseUrl,
    logLevel: settings.logLevel,
    logFile: path.join(root, "var/bench/profile-app.log"),
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  });
  let loadFrom: number;
  let loadUntil: number;
  try {
    const browser = new Browser(app.url);
    await browser.signIn(seed.email, seed.password);
    const page = await browser.get("/businesses");
    const switched = await browser.request(`/businesses/${business}/switch`, {
      _csrf: csrfFrom(page.text),
    });
    if (switched.status >= 400) throw new Error(`Switching business answered ${switched.status}`);
    const headers = { cookie: browser.cookieHeader };
    // A short warm-up so the JIT has settled before the profiled part.
    for (const p of settings.paths)
      await measure(app.url + p, {
        connections: settings.connections,
        duration: 2,
        warmup: 0,
        headers,
      });
    loadFrom = performance.now() - spawnedAt;
    for (const p of settings.paths) {
      const result = await measure(app.url + p, {
        connections: settings.connections,
        duration: settings.duration,
        warmup: 0,
        headers,
      });
      say(
        `${p}: ${int(result.reqPerSec)} req/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)} at ${settings.connections} connections` +
          (result.bad ? ` (${result.bad} not 2xx!)` : ""),
      );
    }
    loadUntil = performance.now() - spawnedAt;
  } finally {
    await app.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`No profile was written to ${dir}`);
  const summary = summariseProfile(path.join(dir, file), root, {
    skipMs: loadFrom,
    top: settings.top,
  });
  say();
  say(
    `Profile var/bench/prof/${file}: ${int(summary.busyMs)} ms busy of ${int(summary.wallMs)} ms sampled ` +
      `(load ran ${((loadUntil - loadFrom) / 1000).toFixed(1)} s; % are of busy time).`,
  );
  costs("self time by module", "self ms", summary.byModule);
  costs("self time by function", "self ms", summary.byFunction);
  costs("our functions, inclusive of what they call", "ms", summary.ownInclusive);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench/profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
