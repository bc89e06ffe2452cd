import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, loadConfig, projectRoot, settingNames } from "./config";

const noFile = path.join(os.tmpdir(), "crm-no-such-property.env");

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env, envFile: noFile });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("defaults to embedded mode: SQLite under var/, in-process jobs, self-migrating, role all", () => {
    const config = loadConfig({ env: {}, envFile: noFile });
    expect(config.database).toEqual({
      dialect: "sqlite",
      storage: path.join(projectRoot, "var", "crm.sqlite"),
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PROCESS_ROLE).toBe("all");
    expect(config.PORT).toBe(3000);
    expect(config.autoMigrate).toBe(true);
    expect(config.seedDemo).toBe(true);
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
  });

  it("switches to production defaults for a MySQL URL", () => {
    const config = loadConfig({
      env: { DATABASE_URL: "mysql://root@127.0.0.1:3306/crm", REDIS_URL: "redis://127.0.0.1:6379" },
      envFile: noFile,
    });
    expect(config.database).toEqual({ dialect: "mysql", url: "mysql://root@127.0.0.1:3306/crm" });
    expect(config.autoMigrate).toBe(false);
    expect(config.seedDemo).toBe(false);
  });

  it("names every bad setting in one error", () => {
    const problems = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "postgres://localhost/crm",
      REDIS_URL: "http://localhost:6379",
      LOG_LEVEL: "loud",
    });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "DATABASE_URL",
      "LOG_LEVEL",
      "PORT",
      "REDIS_URL",
    ]);
  });

  it("refuses split roles without Redis, production without real secrets, half a Google setup", () => {
    expect(problemsOf({ PROCESS_ROLE: "worker" })).toEqual([
      expect.stringMatching(/^PROCESS_ROLE: .*needs REDIS_URL/),
    ]);
    expect(problemsOf({ NODE_ENV: "production", SESSION_SECRET: "short" })).toEqual([
      expect.stringMatching(/^SESSION_SECRET: required in production/),
      expect.stringMatching(/^JWT_SECRET: required in production/),
      expect.stringMatching(/^SECRETS_KEY: required in production/),
    ]);
    expect(problemsOf({ SECRETS_KEY: "not-hex" })).toEqual([
      expect.stringMatching(/^SECRETS_KEY: must be 64 hex characters/),
    ]);
    const secret = "s".repeat(32);
    expect(
      problemsOf({
        NODE_ENV: "production",
        SESSION_SECRET: secret,
        JWT_SECRET: secret,
        SECRETS_KEY: "ab".repeat(32),
        WEBHOOKS_ALLOW_PRIVATE_HOSTS: "true",
      }),
    ).toEqual([expect.stringMatching(/^WEBHOOKS_ALLOW_PRIVATE_HOSTS: not in production/)]);
    expect(problemsOf({ GOOGLE_CLIENT_ID: "id-only" })).toEqual([
      expect.stringMatching(/^GOOGLE_CLIENT_ID: set together/),
    ]);
  });

  it("reads property.env from ENV_FILE, and the environment wins over the file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "crm-config-"));
    const file = path.join(dir, "custom.env");
    writeFileSync(file, "PORT=4100\nLOG_LEVEL=warn\nJOB_CONCURRENCY=7\n");
    const config = loadConfig({ env: { ENV_FILE: file, LOG_LEVEL: "debug" } });
    expect(config.PORT).toBe(4100);
    expect(config.JOB_CONCURRENCY).toBe(7);
    expect(config.LOG_LEVEL).toBe("debug");
  });

  it("treats an empty value as the default, as property.env.example leaves optional lines", () => {
    const config = loadConfig({ env: { REDIS_URL: "", PORT: "" }, envFile: noFile });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
  });

  it("logs pretty lines in development and JSON elsewhere, unless LOG_FORMAT says otherwise", () => {
    const formatOf = (env: Record<string, string>) =>
      loadConfig({ env, envFile: noFile }).logFormat;
    expect(formatOf({})).toBe("pretty");
    expect(formatOf({ NODE_ENV: "test" })).toBe("json");
    expect(formatOf({ NODE_ENV: "development", LOG_FORMAT: "json" })).toBe("json");
    expect(formatOf({ NODE_ENV: "test", LOG_FORMAT: "pretty" })).toBe("pretty");
    expect(problemsOf({ LOG_FORMAT: "colour" })).toEqual([expect.stringMatching(/^LOG_FORMAT:/)]);
    const production = {
      NODE_ENV: "production",
      SESSION_SECRET: "s".repeat(32),
      JWT_SECRET: "j".repeat(32),
      SECRETS_KEY: "ab".repeat(32),
    };
    expect(formatOf(production)).toBe("json");
  });

  it("has every setting documented in property.env.example, and nothing undocumented there", () => {
    const example = readFileSync(path.join(projectRoot, "property.env.example"), "utf8");
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).toEqual([...settingNames, "ENV_FILE"].sort());
  });
});
