import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createSequelize, tuneConnection } from "../../src/db/connection";
import { createMigrator } from "../../src/db/migrator";
import { sqliteTemplate, testRunsDir, usingMysql } from "./config";
import { ensureMysqlDatabase } from "./mysql";
import { workerMysqlUrl } from "./workerDatabase";

/** Deletes the SQLite folders of earlier runs whose process has ended. */
function removeFinishedRuns(): void {
  if (!existsSync(testRunsDir)) return;
  for (const entry of readdirSync(testRunsDir)) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(path.join(testRunsDir, entry), { recursive: true, force: true });
    }
  }
}

async function migrateMysql(url: string): Promise<void> {
  await ensureMysqlDatabase(url);
  const sequelize = createSequelize({ dialect: "mysql", url });
  await createMigrator(sequelize).up();
  await sequelize.close();
}

/** Migrates once per run: a MySQL database per jest worker, or a SQLite template each worker copies. */
export default async function globalSetup(globalConfig: { maxWorkers?: number }): Promise<void> {
  if (usingMysql()) {
    const base = process.env.DATABASE_URL as string;
    const workers = Math.max(1, globalConfig.maxWorkers ?? 1);
    const ids = Array.from({ length: workers }, (_, index) => index + 1);
    await Promise.all(ids.map((id) => migrateMysql(workerMysqlUrl(base, id))));
    return;
  }
  removeFinishedRuns();
  // One folder per run (both jest projects' setups run in this same process, so they share it).
  process.env.CRM_TEST_RUN_DIR = path.join(testRunsDir, `run-${process.pid}`);
  const dir = process.env.CRM_TEST_RUN_DIR;
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) rmSync(path.join(dir, file), { force: true });
  const sequelize = createSequelize({ dialect: "sqlite", storage: sqliteTemplate() });
  await tuneConnection(sequelize);
  await createMigrator(sequelize).up();
  // Fold the WAL back into the main file so a plain copy is a complete database.
  await sequelize.query("PRAGMA wal_checkpoint(TRUNCATE)");
  await sequelize.query("PRAGMA journal_mode = DELETE");
  await sequelize.close();
}
