import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createSequelize, tuneConnection } from "../../src/db/connection";
import { createMigrator } from "../../src/db/migrator";
import { sqliteTemplate, usingMysql } from "./config";
import { ensureMysqlDatabase } from "./mysql";

/** Migrates once per run: the MySQL database itself, or a SQLite template each worker copies. */
export default async function globalSetup(): Promise<void> {
  if (usingMysql()) {
    const url = process.env.DATABASE_URL as string;
    await ensureMysqlDatabase(url);
    const sequelize = createSequelize({ dialect: "mysql", url });
    await createMigrator(sequelize).up();
    await sequelize.close();
    return;
  }
  const dir = path.dirname(sqliteTemplate);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) rmSync(path.join(dir, file), { force: true });
  const sequelize = createSequelize({ dialect: "sqlite", storage: sqliteTemplate });
  await tuneConnection(sequelize);
  await createMigrator(sequelize).up();
  // Fold the WAL back into the main file so a plain copy is a complete database.
  await sequelize.query("PRAGMA wal_checkpoint(TRUNCATE)");
  await sequelize.query("PRAGMA journal_mode = DELETE");
  await sequelize.close();
}
