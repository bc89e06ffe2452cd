import path from "node:path";
import { loadConfig, projectRoot, type Config } from "../../src/config";

/** Tests never read a developer's property.env: only this run's environment and the overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    envFile: path.join(projectRoot, "test", "no-property.env"),
    env: {
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      LOG_LEVEL: process.env.LOG_LEVEL,
      NODE_ENV: "test",
      SESSION_SECRET: "test-session-secret-that-is-long-enough",
      JWT_SECRET: "test-jwt-secret-that-is-long-enough-too",
      SECRETS_KEY: "5e".repeat(32),
      SEED_DEMO: "false",
      AUTO_MIGRATE: "false",
      PORT: "0",
      ...overrides,
    },
  });
}

export const usingMysql = (): boolean => /^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? "");
/**
 * Each `jest` run keeps its SQLite files in its own folder (named by globalSetup, inherited by the
 * workers), so two runs on one checkout never overwrite each other's databases.
 */
export const testRunsDir = path.join(projectRoot, "var", "test");
const runDir = (): string => process.env.CRM_TEST_RUN_DIR ?? path.join(testRunsDir, "run-default");
export const sqliteTemplate = (): string => path.join(runDir(), "template.sqlite");
export const sqliteWorkerFile = (): string =>
  path.join(runDir(), `worker-${process.env.JEST_WORKER_ID ?? "0"}.sqlite`);
