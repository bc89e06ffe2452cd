import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseEnvFile } from "dotenv";
import { settingNames, settingsSchema, type Settings } from "./configSchema";

/** The repository root, whether running from src/ (tsx, jest) or dist/src/ (compiled). */
export { settingNames, type SettingName, type Settings } from "./configSchema";

export const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..",
);

export type DatabaseTarget =
  { dialect: "sqlite"; storage: string } | { dialect: "mysql"; url: string };

export interface Config extends Settings {
  isProduction: boolean;
  /** LOG_FORMAT, or its default for NODE_ENV. */
  logFormat: "pretty" | "json";
  jwtSecret: string;
  /** AES-256-GCM key for provider tokens at rest (see lib/secretBox.ts). */
  secretsKey: Buffer;
  /** Absolute path of UPLOADS_DIR. */
  uploadsDir: string;
  google: { clientId: string; clientSecret: string } | null;
  database: DatabaseTarget;
  autoMigrate: boolean;
  seedDemo: boolean;
  sessionSecret: string;
  varDir: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function parseDatabaseUrl(url: string): DatabaseTarget {
  if (!url.startsWith("sqlite:"))
    return { dialect: "mysql", url: url.replace(/^mariadb:/, "mysql:") };
  const location = url.slice("sqlite:".length).replace(/^\/\//, "");
  if (location === ":memory:" || location === "") return { dialect: "sqlite", storage: ":memory:" };
  return { dialect: "sqlite", storage: path.resolve(projectRoot, location) };
}

/** A secret that survives restarts in embedded mode without anyone having to invent one. */
function embeddedSecret(
  varDir: string,
  name: string,
  encoding: "base64url" | "hex" = "base64url",
): string {
  const file = path.join(varDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString(encoding);
  mkdirSync(varDir, { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** property.env path; defaults to $ENV_FILE or ./property.env. A missing file is fine. */
  envFile?: string;
}

/** Reads property.env and the environment (the environment wins), validates, and derives. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const envFile = path.resolve(projectRoot, options.envFile ?? env.ENV_FILE ?? "property.env");
  const fromFile = existsSync(envFile) ? parseEnvFile(readFileSync(envFile)) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const name of settingNames) if (env[name] !== undefined) merged[name] = env[name];
  // An empty value means "use the default", the way property.env.example leaves optional lines.
  for (const name of settingNames) if (merged[name] === "") delete merged[name];
  if (merged.REDIS_URL === undefined) merged.REDIS_URL = "";

  const result = settingsSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "settings"}: ${issue.message}`),
    );
  }
  const settings = result.data;
  const problems: string[] = [];
  const isProduction = settings.NODE_ENV === "production";
  const database = parseDatabaseUrl(settings.DATABASE_URL);
  const varDir = path.join(projectRoot, "var");

  if (settings.PROCESS_ROLE !== "all" && !settings.REDIS_URL) {
    problems.push(
      `PROCESS_ROLE: "${settings.PROCESS_ROLE}" needs REDIS_URL, because separate web and worker processes share jobs through Redis`,
    );
  }
  const secrets = {
    SESSION_SECRET: settings.SESSION_SECRET ?? "",
    JWT_SECRET: settings.JWT_SECRET ?? "",
  };
  for (const [name, value] of Object.entries(secrets)) {
    if (isProduction && value.length < 32)
      problems.push(`${name}: required in production, at least 32 characters`);
  }
  if (isProduction && !settings.SECRETS_KEY) {
    problems.push("SECRETS_KEY: required in production (64 hex characters: openssl rand -hex 32)");
  }
  if (isProduction && settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS) {
    problems.push(
      "WEBHOOKS_ALLOW_PRIVATE_HOSTS: not in production, where it would let webhook URLs reach internal services",
    );
  }
  const googleParts = [settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET].filter(Boolean);
  if (googleParts.length === 1) {
    problems.push("GOOGLE_CLIENT_ID: set together with GOOGLE_CLIENT_SECRET, or leave both empty");
  }
  const razorpayParts = [settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET].filter(Boolean);
  if (razorpayParts.length === 1) {
    problems.push("RAZORPAY_KEY_ID: set together with RAZORPAY_KEY_SECRET, or leave both empty");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const sessionSecret = secrets.SESSION_SECRET || embeddedSecret(varDir, "session-secret");
  const jwtSecret = secrets.JWT_SECRET || embeddedSecret(varDir, "jwt-secret");
  const secretsKey = Buffer.from(
    settings.SECRETS_KEY || embeddedSecret(varDir, "secrets-key", "hex"),
    "hex",
  );

  const embedded = database.dialect === "sqlite";
  return {
    ...settings,
    isProduction,
    logFormat: settings.LOG_FORMAT ?? (settings.NODE_ENV === "development" ? "pretty" : "json"),
    database,
    autoMigrate: settings.AUTO_MIGRATE ?? embedded,
    seedDemo: settings.SEED_DEMO ?? embedded,
    sessionSecret,
    jwtSecret,
    secretsKey,
    varDir,
    uploadsDir: path.resolve(projectRoot, settings.UPLOADS_DIR),
    google:
      settings.GOOGLE_CLIENT_ID && settings.GOOGLE_CLIENT_SECRET
        ? { clientId: settings.GOOGLE_CLIENT_ID, clientSecret: settings.GOOGLE_CLIENT_SECRET }
        : null,
  };
}
