/**
 * Bulk import benchmark (issue 5): imports a 100k-row CSV, a 1M-row CSV and a 100k-row XLSX end
 * to end on MySQL/MariaDB and prints rows/s and peak RSS, beside a baseline measured in the same
 * run: raw mysql2 multi-row INSERTs (1,000-row batches, one transaction) of the same rows into a
 * scratch table — once bare (primary key only), once shaped like customers (same indexes).
 *
 *   npm run bench:imports            (= npx tsx bench/imports.ts)
 *
 * Each import runs in its own process (bench/imports/runner.ts, the code the run-import job runs),
 * timed from the job's start to done; the upload is excluded and the inspection (headers, first
 * rows, row count, zip-bomb pass) is timed apart. Its RSS is sampled from /proc every 50 ms.
 * Targets: CSV >= 50,000 rows/s, XLSX >= 35,000 rows/s, peak RSS < 250 MB at 1M rows.
 *
 * Settings (environment): BENCH_DATABASE_URL (mysql://root@127.0.0.1:3306/crm_bench_imports;
 * the name must contain "bench": the database is dropped and migrated again at each run),
 * BENCH_ROWS ("100000,1000000" CSV sizes), BENCH_XLSX_ROWS (100000; 0 skips it) and
 * BENCH_BASELINE (0 skips the baselines, for quick looks). Files: var/bench/.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import mysql from "mysql2/promise";
import { projectRoot } from "../src/config";
import { createSequelize } from "../src/db/connection";
import { createMigrator } from "../src/db/migrator";
import { inspectImport } from "../src/commands/imports/inspect";
import { startImport } from "../src/commands/imports/start";
import { updatableFields, type ColumnMapping } from "../src/commands/imports/fields";
import type { ImportDeps } from "../src/commands/imports/deps";
import { initModels, type Models } from "../src/models";
import { benchFile, benchRow } from "./imports/files";
import { int, say, table } from "./lib/format";
import { buildBusiness, buildUser } from "../test/factories";
import { contextFor } from "../test/support/deps";
import { tempDir, testImportDeps, uploadFile } from "../test/support/imports";

const databaseUrl =
  process.env.BENCH_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/crm_bench_imports";
const csvSizes = (process.env.BENCH_ROWS ?? "100000,1000000").split(",").map(Number);
const xlsxRows = Number(process.env.BENCH_XLSX_ROWS ?? 100_000);
const benchDir = path.join(projectRoot, "var", "bench");
const maxBytes = 500_000_000;
/** The runner finds stored files under UPLOADS_DIR/imports, as the app does. */
const uploadsDir = tempDir("crm-bench-uploads-");

async function freshDatabase(): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  if (!name.includes("bench"))
    throw new Error(`BENCH_DATABASE_URL must name a *bench* database, not "${name}"`);
  url.pathname = "/";
  const server = await mysql.createConnection(url.toString());
  await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server.query(
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await server.end();
}

/** Peak VmRSS of a process, sampled every 50 ms until it exits. */
/**
 * The runner as production runs code: compiled by tsc, started with plain node (BENCH_RUNNER=tsx
 * runs it from source instead, ~35 MB more RSS for the loader).
 */
const fromSource = process.env.BENCH_RUNNER === "tsx";
const compiledRunner = path.join(benchDir, "dist", "bench", "imports", "runner.js");

function compileRunner(): void {
  if (fromSource) return;
  say("Compiling the runner (tsc)…");
  const tsc = spawnSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", path.join(__dirname, "imports", "tsconfig.json")],
    { cwd: projectRoot, stdio: "inherit" },
  );
  if (!existsSync(compiledRunner))
    throw new Error(`tsc did not produce ${compiledRunner} (${tsc.status})`);
}

function runMeasured(importId: number) {
  const child = spawn(
    process.execPath,
    fromSource
      ? ["--import", "tsx", path.join(__dirname, "imports", "runner.ts"), String(importId)]
      : [compiledRunner, String(importId)],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        IMPORT_MAX_BYTES: String(maxBytes),
        UPLOADS_DIR: uploadsDir,
        LOG_LEVEL: "warn",
        ENV_FILE: "test/no-property.env",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let peakKb = 0;
  const sample = setInterval(() => {
    try {
      const kb = Number(
        /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0,
      );
      peakKb = Math.max(peakKb, kb);
    } catch {
      // The process has just exited.
    }
  }, 50);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  interface RunResult {
    seconds: number;
    peakMb: number;
    outcome: string;
    rssBeforeMb: number;
    heapUsedAfterMb: number;
  }
  return new Promise<RunResult>((resolve, reject) => {
    child.once("exit", (code) => {
      clearInterval(sample);
      if (code !== 0) return reject(new Error(`runner exited with ${code}: ${output}`));
      const result = JSON.parse(output.trim().split("\n").pop() ?? "{}") as Omit<
        RunResult,
        "peakMb"
      > & { maxRssKb: number };
      resolve({ ...result, peakMb: Math.max(peakKb, result.maxRssKb) / 1024 });
    });
  });
}

async function importOnce(deps: ImportDeps, models: Models, file: string, rows: number) {
  const owner = await buildUser(models, { planCode: "enterprise" });
  const { business } = await buildBusiness(models, { owner, country: "IN" });
  const uploaded = await uploadFile(deps, business, owner, file);
  const inspectStart = performance.now();
  const ctx = await contextFor(deps, business, owner);
  const inspected = await inspectImport(deps, ctx, uploaded.id);
  const inspectSeconds = (performance.now() - inspectStart) / 1000;
  if (inspected?.status !== "ready")
    throw new Error(`inspection failed: ${inspected?.errorMessage}`);
  const { mapping } = JSON.parse(inspected.settings) as { mapping: ColumnMapping };
  await startImport(deps, ctx, inspected, {
    mapping,
    mode: "skip",
    update: { fields: [...updatableFields], fillOnly: false },
  });
  const run = await runMeasured(inspected.id);
  await inspected.reload();
  if (inspected.createdCount !== rows || inspected.failedCount !== 0)
    throw new Error(
      `expected ${rows} created, got ${inspected.createdCount} (${inspected.failedCount} failed; ` +
        `${run.outcome}, ${inspected.status} ${inspected.errorMessage ?? ""})`,
    );
  return { ...run, inspectSeconds, rowsPerSecond: rows / run.seconds };
}

/** The baseline: the same rows as mysql2 multi-row INSERTs, 1,000 a batch, one transaction. */
async function baseline(rows: number, shaped: boolean): Promise<number> {
  const connection = await mysql.createConnection(databaseUrl);
  await connection.query("DROP TABLE IF EXISTS bench_scratch");
  await connection.query(
    shaped
      ? "CREATE TABLE bench_scratch LIKE customers"
      : `CREATE TABLE bench_scratch (id INT AUTO_INCREMENT PRIMARY KEY, business_id INT NOT NULL, name VARCHAR(200), phone_e164 VARCHAR(20), email VARCHAR(191), whatsapp_e164 VARCHAR(20), tags VARCHAR(200), consent_at DATETIME, created_at DATETIME, updated_at DATETIME) CHARACTER SET utf8mb4`,
  );
  const columns = shaped
    ? "business_id, name, name_key, name_tail, email, phone_e164, phone_national, phone_reversed, whatsapp_e164, consent_at, created_at, updated_at"
    : "business_id, name, phone_e164, email, whatsapp_e164, tags, consent_at, created_at, updated_at";
  const now = new Date();
  const started = performance.now();
  await connection.beginTransaction();
  for (let from = 0; from < rows; from += 1000) {
    const batch: unknown[][] = [];
    for (let i = from; i < Math.min(rows, from + 1000); i++) {
      const r = benchRow(i);
      const consent = new Date(`${r.consentAt}T00:00:00Z`);
      batch.push(
        shaped
          ? [
              1,
              r.name,
              r.name.toLowerCase(),
              r.name.split(" ")[1],
              r.email,
              `+91${r.phone}`,
              r.phone,
              [...`91${r.phone}`].reverse().join(""),
              `+91${r.whatsapp}`,
              consent,
              now,
              now,
            ]
          : [1, r.name, `+91${r.phone}`, r.email, `+91${r.whatsapp}`, r.tags, consent, now, now],
      );
    }
    await connection.query(`INSERT INTO bench_scratch (${columns}) VALUES ?`, [batch]);
  }
  await connection.commit();
  const seconds = (performance.now() - started) / 1000;
  await connection.query("DROP TABLE bench_scratch");
  await connection.end();
  return rows / seconds;
}

async function main(): Promise<void> {
  say(`Bulk import benchmark on ${databaseUrl.replace(/\/\/[^@]*@/, "//")} (database recreated)`);
  compileRunner();
  await freshDatabase();
  const sequelize = createSequelize({ dialect: "mysql", url: databaseUrl });
  await createMigrator(sequelize).up();
  const models = initModels(sequelize);
  const deps: ImportDeps = testImportDeps(
    { sequelize, models },
    { uploadsDir, maxBytes, maxRows: 2_000_000, maxUnzippedBytes: 2_000_000_000 },
  );
  const cases: Array<[string, "csv" | "xlsx", number, number]> = [
    ...csvSizes.map((rows): [string, "csv", number, number] => [
      `CSV ${int(rows)}`,
      "csv",
      rows,
      50_000,
    ]),
    ...(xlsxRows > 0
      ? [[`XLSX ${int(xlsxRows)}`, "xlsx", xlsxRows, 35_000] as [string, "xlsx", number, number]]
      : []),
  ];
  const results: string[][] = [];
  for (const [label, kind, rows, target] of cases) {
    say(`\n${label}: preparing ${kind.toUpperCase()} file…`);
    const file = await benchFile(benchDir, kind, rows);
    say(`  importing ${path.relative(projectRoot, file)}…`);
    const run = await importOnce(deps, models, file, rows);
    const withBaseline = process.env.BENCH_BASELINE !== "0";
    const bare = withBaseline ? await baseline(rows, false) : Number.NaN;
    const shaped = withBaseline ? await baseline(rows, true) : Number.NaN;
    const ok = run.rowsPerSecond >= target && (rows < 1_000_000 || run.peakMb < 250);
    results.push([
      label,
      run.inspectSeconds.toFixed(2),
      run.seconds.toFixed(2),
      int(run.rowsPerSecond),
      `${run.peakMb.toFixed(0)} (${run.rssBeforeMb})`,
      int(bare),
      int(shaped),
      `${((run.rowsPerSecond / shaped) * 100).toFixed(0)}%`,
      `${int(target)}${rows >= 1_000_000 ? ", <250 MB" : ""}`,
      ok ? "met" : "MISSED",
    ]);
    say(
      `  ${int(run.rowsPerSecond)} rows/s, peak RSS ${run.peakMb.toFixed(0)} MB ` +
        `(${run.rssBeforeMb} MB before the import, heap ${run.heapUsedAfterMb} MB used after); ` +
        `baseline ${int(bare)} / ${int(shaped)} rows/s`,
    );
  }
  say("");
  say(
    table(
      [
        "file",
        "inspect s",
        "import s",
        "rows/s",
        "peak RSS MB (before)",
        "baseline bare",
        "baseline customers-shaped",
        "vs shaped",
        "target",
        "",
      ],
      results,
    ),
  );
  say("\nrows/s: job start to done (customers, their tags and timeline events, checkpoints).");
  say("peak RSS: of the process running the import; (before): its RSS when the import began.");
  say("baseline: mysql2 INSERT … VALUES ? of the same rows, 1,000 a batch, one transaction.");
  await sequelize.close();
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
