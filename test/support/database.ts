import { copyFileSync, existsSync } from "node:fs";
import type { Sequelize } from "sequelize";
import type { DatabaseTarget } from "../../src/config";
import { createSequelize, tuneConnection } from "../../src/db/connection";
import { initModels, type Models } from "../../src/models";
import { sqliteTemplate, sqliteWorkerFile, usingMysql } from "./config";

/** This test process's database: the run's MySQL database, or this worker's copy of the template. */
export function testDatabaseTarget(): DatabaseTarget {
  if (usingMysql()) return { dialect: "mysql", url: process.env.DATABASE_URL as string };
  const file = sqliteWorkerFile();
  if (!existsSync(file)) copyFileSync(sqliteTemplate(), file);
  return { dialect: "sqlite", storage: file };
}

export interface TestDatabase {
  sequelize: Sequelize;
  models: Models;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const sequelize = createSequelize(testDatabaseTarget());
  await tuneConnection(sequelize);
  return { sequelize, models: initModels(sequelize) };
}

/** Opens the database before the file's tests and closes it after; read `.current` in tests. */
export function useTestDatabase(): { current: TestDatabase } {
  const handle = {} as { current: TestDatabase };
  beforeAll(async () => {
    handle.current = await openTestDatabase();
  });
  afterAll(async () => {
    await handle.current?.sequelize.close();
  });
  return handle;
}

/** The database URL a child process should use to reach this test process's database. */
export function testDatabaseUrl(): string {
  const target = testDatabaseTarget();
  return target.dialect === "mysql" ? target.url : `sqlite:${target.storage}`;
}
