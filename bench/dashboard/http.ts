import path from "node:path";
import { benchEmail, benchPassword } from "../customers/database";
import { buildIfStale, productionNodeFlags, root, startApp } from "../lib/app";
import { Browser } from "../lib/browser";
import { ms, say, table } from "../lib/format";
import { measure } from "../lib/load";
import { freePort, startServer, type ServerProcess } from "../lib/processes";

/**
 * GET / and GET /search served by the built app (NODE_ENV=production) one request at a time, the
 * server's own time read from each response's Server-Timing header, beside the bare baseline
 * server (Express + Handlebars + one 25-row query, bench/baseline/server.ts) in the same run.
 */
async function startBaseline(databaseUrl: string, businessId: number): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: "the baseline",
    command: process.execPath,
    args: [...productionNodeFlags, "--import", "tsx", "bench/baseline/server.ts"],
    cwd: root,
    port,
    readyPath: "/",
    logFile: path.join(root, "var/bench/dashboard-baseline.log"),
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

export async function measureOverHttp(options: {
  databaseUrl: string;
  businessId: number;
  searches: string[];
  duration: number;
  target: number;
}): Promise<string[]> {
  buildIfStale();
  const servers: ServerProcess[] = [];
  const missed: string[] = [];
  try {
    const app = await startApp({
      databaseUrl: options.databaseUrl,
      logLevel: "warn",
      logFile: path.join(root, "var/bench/dashboard-app.log"),
    });
    servers.push(app);
    const baseline = await startBaseline(options.databaseUrl, options.businessId);
    servers.push(baseline);
    const browser = new Browser(app.url);
    await browser.signIn(benchEmail, benchPassword);
    const home = await browser.get("/customers");
    const switched = await browser.request(`/businesses/${options.businessId}/switch`, {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(home.text)?.[1] ?? "",
    });
    if (switched.status !== 302 && switched.status !== 303)
      throw new Error(`Switching to business A answered ${switched.status}`);
    const dashboard = await browser.get("/");
    if (dashboard.status !== 200 || !dashboard.text.includes('data-card="customers"'))
      throw new Error(`GET / answered ${dashboard.status} without the dashboard's cards`);

    const headers = { cookie: browser.cookieHeader };
    const load = { connections: 1, duration: options.duration, warmup: 1 };
    const rows: string[][] = [];
    const base = await measure(baseline.url + "/", load);
    rows.push(["baseline: Express + Handlebars + 25 rows", ms(base.p50), ms(base.p95), "", "", ""]);
    const pages = [
      ["dashboard GET /", "/"],
      ...options.searches.map((q) => [`search "${q}"`, `/search?q=${encodeURIComponent(q)}`]),
    ];
    for (const [name, url] of pages) {
      const m = await measure(app.url + url!, { ...load, headers, serverTiming: true });
      const server = m.server?.total.p95 ?? Number.NaN;
      const ok = server <= options.target && m.bad === 0;
      if (!ok) missed.push(`${name}: server p95 ${ms(server)} (${m.bad} bad responses)`);
      rows.push([
        name!,
        ms(m.p50),
        ms(m.p95),
        ms(server),
        String(m.server?.statements ?? ""),
        ok ? "ok" : "MISSED",
      ]);
    }
    say();
    say(`Over HTTP, one connection, ${options.duration} s each (BENCH_HTTP_DURATION=0 skips):`);
    say(
      table(
        ["page", "p50", "p95", "server p95", "statements", `server p95 ≤ ${options.target} ms`],
        rows,
        "lrrrrl",
      ),
    );
    return missed;
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
