import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseEnvFile } from "dotenv";
import { z } from "zod";

/** The repository root, whether running from src/ (tsx, jest) or dist/src/ (compiled). */
export const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..",
);

const booleanSetting = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((value) => value === "true" || value === "1" || value === "yes");

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(p)), {
      message: `must start with ${protocols.join(" or ")}`,
    });

/** Why a TICKET_SLA_HOURS value is not usable, or null (the parser lives in commands/tickets/sla.ts). */
function ticketSlaProblem(value: string): string | null {
  const seen = new Set<string>();
  for (const part of value.split(",")) {
    const match = /^\s*(low|normal|high|urgent)\s*=\s*(\d{1,4})\s*\/\s*(\d{1,5})\s*$/.exec(part);
    if (!match || seen.has(match[1] as string)) return part;
    if (Number(match[2]) <= 0 || Number(match[3]) < Number(match[2])) return part;
    seen.add(match[1] as string);
  }
  return seen.size === 4 ? null : "missing priority";
}

/**
 * Every setting, declared once: its variable, default and meaning. property.env.example documents
 * the same list; a test keeps the two in step.
 */
const settingsSchema = z.object({
  /** development | production | test. Production turns on template caching and Secure cookies. */
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Which parts this process runs: web (HTTP), worker (jobs) or all (both; embedded default). */
  PROCESS_ROLE: z.enum(["web", "worker", "all"]).default("all"),
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. Containers need 0.0.0.0. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Public address of the app, used in e-mailed links. */
  APP_URL: z
    .url({ error: "must be an absolute URL such as http://localhost:3000" })
    .default("http://localhost:3000"),
  /** sqlite:<file> (embedded) or mysql://user:pass@host:port/db (production). */
  DATABASE_URL: z
    .string()
    .trim()
    .default("sqlite:var/crm.sqlite")
    .refine((v) => /^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(v), {
      message: "must start with sqlite: or mysql://",
    }),
  /** Maximum connections per process in the MySQL pool. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Apply pending migrations on start. Defaults to on for SQLite and off for MySQL. */
  AUTO_MIGRATE: booleanSetting.optional(),
  /** Seed the demo account on first start. Defaults to on for SQLite and off for MySQL. */
  SEED_DEMO: booleanSetting.optional(),
  /** redis://… turns on BullMQ for jobs; empty keeps jobs in-process. */
  REDIS_URL: optionalUrl(["redis://", "rediss://"]),
  /** Queue key prefix; wrapped in {…} so every queue key hashes to one Redis Cluster slot. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]+$/, { message: "use lower-case letters, digits and dashes" })
    .default("crm"),
  /** Jobs each queue runs at once in this process. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Worker processes re-create the recurring schedules and re-queue the work the database says is
   * owed this often (and flush the job outbox), so a Redis restarted empty loses nothing for long.
   */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Longest wait for Redis to take a job; after it the job is kept in the database's outbox. */
  JOB_DISPATCH_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** Signs session cookies. Required in production (32+ characters); generated under var/ otherwise. */
  SESSION_SECRET: z.string().optional(),
  /** Days a browser session lasts without activity. */
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Trust X-Forwarded-* from this many proxies (0 = none). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** pretty (short lines for a terminal) or json (one object a line); default: pretty in development. */
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  /**
   * Longest wait on SIGTERM for requests and jobs in flight (long jobs stop at their next
   * checkpoint and hand their work on) before closing anyway.
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),

  /** smtp(s)://user:pass@host:port; empty writes each message to var/outbox instead. */
  SMTP_URL: optionalUrl(["smtp://", "smtps://"]),
  /** Sender of every e-mail. */
  MAIL_FROM: z.string().min(3).default("CRM <no-reply@localhost>"),

  /** Google sign-in: both id and secret, or neither (the button is hidden then). */
  GOOGLE_CLIENT_ID: z.string().trim().optional(),
  GOOGLE_CLIENT_SECRET: z.string().trim().optional(),
  GOOGLE_AUTHORIZATION_URL: z.url().default("https://accounts.google.com/o/oauth2/v2/auth"),
  GOOGLE_TOKEN_URL: z.url().default("https://www.googleapis.com/oauth2/v4/token"),
  GOOGLE_USERINFO_URL: z.url().default("https://www.googleapis.com/oauth2/v3/userinfo"),

  /** Signs API access tokens. Required in production (32+ characters); generated under var/ otherwise. */
  JWT_SECRET: z.string().optional(),
  /** Lifetime of an API access token. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /** Lifetime of an API refresh token (each use rotates it). */
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),

  /**
   * Sign-in limits (src/lib/loginLimiter.ts), counted per account *and* IP address so a stranger
   * cannot lock the owner out: wrong passwords for one account from one address before each
   * further try must wait.
   */
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** The first wait after the free failures, in seconds; it doubles with each further failure. */
  LOGIN_FIRST_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  /** The longest wait between two tries of one account from one address, in seconds. */
  LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Failed sign-ins one IP address may make in an hour, whatever the accounts (successes are free). */
  LOGIN_IP_FAILURES_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Requests one personal API token may make per minute (RateLimit-* headers, then 429). */
  PERSONAL_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  /** Password-reset and activation e-mails one address may be sent in an hour. */
  ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(100).default(3),
  /** Password-reset and activation e-mails one IP address may ask for in an hour. */
  ACCOUNT_MAIL_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),

  /** Where uploaded files (avatars, imports) are kept. */
  UPLOADS_DIR: z.string().min(1).default("var/uploads"),
  /** Largest avatar upload, in bytes. */
  AVATAR_MAX_BYTES: z.coerce.number().int().min(10_000).max(20_000_000).default(2_000_000),

  /** Largest import file (CSV or XLSX), in bytes. A million CSV rows take about 80 MB. */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1000).max(2_000_000_000).default(10_485_760),
  /** Most data rows one import may hold. */
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(1_000_000),
  /** XLSX only: the most its parts may expand to when unzipped (zip-bomb guard), in bytes. */
  IMPORT_MAX_UNZIPPED_BYTES: z.coerce
    .number()
    .int()
    .min(100_000)
    .max(20_000_000_000)
    .default(500_000_000),
  /** Days during which a finished import can be undone. */
  IMPORT_REVERT_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  /** Seconds an import runner holds its claim without renewing it; a dead runner's import is resumed after this. */
  IMPORT_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /** Rows written per transaction (and per checkpoint). */
  IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(1000),

  /** Minutes before a task's due time that its assignee is reminded (0 = at the due time). */
  TASK_REMINDER_LEAD_MINUTES: z.coerce.number().int().min(0).max(10_080).default(15),

  /** Longest wait for a webhook receiver to answer, in milliseconds; then the attempt failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Hours a webhook delivery is retried (exponential backoff with jitter) before it gives up. */
  WEBHOOK_RETRY_HOURS: z.coerce.number().int().min(1).max(168).default(24),
  /** An endpoint whose every attempt failed for this many hours is disabled, and its managers told. */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Days the delivery log (finished deliveries and their events) is kept. */
  WEBHOOK_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * Lets webhook URLs point at private and loopback addresses (127.0.0.1, 10.x, ::1â¦). For tests
   * and development only: on a server it lets anyone with webhooks.manage reach internal services.
   */
  WEBHOOKS_ALLOW_PRIVATE_HOSTS: booleanSetting.default(false),

  /** Days without activity (no change of stage, amount, owner or details) after which an open deal is stale. */
  DEALS_STALE_DAYS: z.coerce.number().int().min(1).max(3650).default(14),

  /**
   * Support tickets' SLA targets per priority, in hours: `priority=firstResponse/resolution`,
   * comma-separated (src/commands/tickets/sla.ts). Every priority must be listed.
   */
  TICKET_SLA_HOURS: z
    .string()
    .trim()
    .default("urgent=1/4,high=4/24,normal=8/48,low=24/120")
    .refine((value) => ticketSlaProblem(value) === null, {
      message: "use urgent=1/4,high=4/24,normal=8/48,low=24/120 (hours; every priority once)",
    }),
  /**
   * Domain of tickets' reply-to addresses (ticket+<token>@this domain), routed by your mail
   * provider to the inbound-mail endpoint. Empty: replies go out from MAIL_FROM with the token in
   * the subject, which threads the answer back as well.
   */
  TICKET_REPLY_DOMAIN: z
    .string()
    .trim()
    .default("")
    .refine((value) => value === "" || /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(value), {
      message: "must be a domain such as support.example.com, or empty",
    }),
  /**
   * Shared secret of the inbound-mail webhook (POST /webhooks/mail/inbound, header
   * X-Inbound-Mail-Secret). Empty: the endpoint is not mounted. 24+ characters.
   */
  INBOUND_MAIL_SECRET: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .refine((value) => value === undefined || value.length >= 24, {
      message: "must be at least 24 characters, or empty",
    }),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingName = keyof Settings;
export const settingNames = Object.keys(settingsSchema.shape) as SettingName[];

export type DatabaseTarget =
  { dialect: "sqlite"; storage: string } | { dialect: "mysql"; url: string };

export interface Config extends Settings {
  isProduction: boolean;
  /** LOG_FORMAT, or its default for NODE_ENV. */
  logFormat: "pretty" | "json";
  jwtSecret: string;
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
function embeddedSecret(varDir: string, name: string): string {
  const file = path.join(varDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
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
  if (isProduction && settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS) {
    problems.push(
      "WEBHOOKS_ALLOW_PRIVATE_HOSTS: not in production, where it would let webhook URLs reach internal services",
    );
  }
  const googleParts = [settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET].filter(Boolean);
  if (googleParts.length === 1) {
    problems.push("GOOGLE_CLIENT_ID: set together with GOOGLE_CLIENT_SECRET, or leave both empty");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const sessionSecret = secrets.SESSION_SECRET || embeddedSecret(varDir, "session-secret");
  const jwtSecret = secrets.JWT_SECRET || embeddedSecret(varDir, "jwt-secret");

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
    varDir,
    uploadsDir: path.resolve(projectRoot, settings.UPLOADS_DIR),
    google:
      settings.GOOGLE_CLIENT_ID && settings.GOOGLE_CLIENT_SECRET
        ? { clientId: settings.GOOGLE_CLIENT_ID, clientSecret: settings.GOOGLE_CLIENT_SECRET }
        : null,
  };
}
