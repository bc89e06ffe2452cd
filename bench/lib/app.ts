import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { say } from "./format";
import { freePort, startServer, type ServerProcess } from "./processes";

/** The built app as benchmarks run it: production mode, one process, in-process jobs. */

export const root = path.resolve(__dirname, "../..");

/**
 * The flags production gives node (`npm start` in package.json, NODE_OPTIONS in the Dockerfile):
 * the app runs with them, and so do the baselines, so a ratio compares code, not settings.
 */
export const productionNodeFlags: string[] = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: { start: string };
  }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (
      !entry.isFile() ||
      !/\.(ts|js|mjs|json)$/.test(entry.name) ||
      entry.name.endsWith(".test.ts")
    )
      continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than the sources it is built from. */
export function buildIfStale(): void {
  const server = path.join(root, "dist/src/server.js");
  const sources = ["src", "migrations", "seeders", "workers"].map((d) => path.join(root, d));
  const newest = Math.max(
    ...sources.filter(existsSync).map(newestMtime),
    statSync(path.join(root, "tsconfig.build.json")).mtimeMs,
  );
  if (existsSync(server) && statSync(server).mtimeMs >= newest) {
    say("dist/ is up to date.");
    return;
  }
  say("dist/ is older than the sources: npm run build…");
  const started = performance.now();
  const result = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    if (!existsSync(server))
      throw new Error("npm run build failed and there is no dist/src/server.js");
    say(
      "WARNING: npm run build reported errors (above); tsc still emitted dist/, benchmarking it.",
    );
  }
  say(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

export interface AppOptions {
  databaseUrl: string;
  logLevel: string;
  logFile: string;
  /** Extra flags for node before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The checkout whose dist/ runs (another one's, to compare versions); this one by default. */
  cwd?: string;
  /** Named in errors and logs; "the app" by default. */
  name?: string;
  /** Redis for the app's queue and limits; none (in-process) by default. */
  redisUrl?: string;
  /** Settings of a benchmark's own, on top of the production ones. */
  env?: Record<string, string>;
  /** PROCESS_ROLE: all (web and jobs, the default), web, or worker (no HTTP: ready by its log). */
  role?: "all" | "web" | "worker";
}

/** Starts dist/src/server.js on a free port, as production runs it. */
export async function startApp(options: AppOptions): Promise<ServerProcess> {
  const port = await freePort();
  return startServer({
    name: options.name ?? "the app",
    command: process.execPath,
    args: [...productionNodeFlags, ...(options.nodeArgs ?? []), "dist/src/server.js"],
    cwd: options.cwd ?? root,
    port,
    readyPath: "/readyz",
    readyLog: options.role === "worker" ? /"msg":"worker started"/ : undefined,
    logFile: options.logFile,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // A developer's property.env must not change what is measured.
      ENV_FILE: path.join(root, "var/bench/no-property.env"),
      NODE_ENV: "production",
      PROCESS_ROLE: options.role ?? "all",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: options.databaseUrl,
      AUTO_MIGRATE: "false",
      SEED_DEMO: "false",
      REDIS_URL: options.redisUrl ?? "",
      SESSION_SECRET: randomBytes(48).toString("base64url"),
      JWT_SECRET: randomBytes(48).toString("base64url"),
      // Production settings require the key for secrets at rest (src/lib/secretBox.ts).
      SECRETS_KEY: randomBytes(32).toString("hex"),
      LOG_LEVEL: options.logLevel,
      ...options.env,
    },
  });
}
