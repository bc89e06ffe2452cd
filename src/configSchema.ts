import { z } from "zod";
import { isValidGstin, normalizeGstin } from "./lib/gstin";

/** Every setting, its default and its check (config.ts loads and derives from them). */

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
export const settingsSchema = z.object({
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
  /**
   * Encrypts provider tokens at rest (AES-256-GCM): 32 bytes as 64 hex characters. Required in
   * production; generated under var/ otherwise. Changing it makes stored tokens unreadable.
   */
  SECRETS_KEY: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || v === "" || /^[0-9a-fA-F]{64}$/.test(v), {
      message: "must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`",
    }),
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

  /**
   * Social publisher: longest wait for a network to answer one publish, in milliseconds. A publish
   * still open this long plus 10 s (its worker died) is shown as "unknown", never sent again.
   */
  SOCIAL_PUBLISH_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(30_000),
  /** Tries of one post on one network when it keeps failing for a passing reason (outage, 429). */
  SOCIAL_PUBLISH_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** The wait before the first retry, in milliseconds; each further retry waits twice as long. */
  SOCIAL_RETRY_BASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),

  /** Days without activity (no change of stage, amount, owner or details) after which an open deal is stale. */
  DEALS_STALE_DAYS: z.coerce.number().int().min(1).max(3650).default(14),

  /** GST invoices: the supplier (this platform's operator) as printed on every invoice. */
  INVOICE_SUPPLIER_NAME: z.string().trim().min(1).max(200).default("Example CRM Private Limited"),
  /** The supplier's address, one line (commas between its parts). */
  INVOICE_SUPPLIER_ADDRESS: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .default("1 Example Road, Indiranagar, Bengaluru, Karnataka 560038"),
  /**
   * The supplier's GSTIN (checksum-validated); its first two digits are the supplier's state,
   * which decides CGST + SGST or IGST. The default is a placeholder: set your own before invoicing.
   */
  INVOICE_SUPPLIER_GSTIN: z
    .string()
    .trim()
    .default("29AAAAA0000A1ZY")
    .transform(normalizeGstin)
    .refine(isValidGstin, { message: "must be a valid 15-character GSTIN (checksum included)" }),
  /** SAC (services accounting code) printed on invoice lines that do not name their own. */
  INVOICE_SAC: z
    .string()
    .trim()
    .default("998314")
    .refine((value) => /^\d{6}$/.test(value), { message: "must be a 6-digit SAC" }),

  /** Public forms: seconds a visitor needs at least between opening a form and sending it (bots are faster). */
  FORMS_MIN_FILL_SECONDS: z.coerce.number().int().min(0).max(600).default(3),
  /** Public forms: hours a form page stays sendable (its signed token's age); older pages are shown again. */
  FORMS_TOKEN_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Public forms: submissions one IP address may send per minute, over all forms (memory, or Redis with REDIS_URL). */
  FORMS_SUBMISSIONS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /**
   * Public forms: seconds a process keeps a published form and its business in memory for /f/
   * pages. An edit clears it in the process that made it; other processes see it within this time.
   */
  FORMS_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /**
   * Public forms: who may show /f/ pages in an iframe (CSP frame-ancestors): `*` for any site, or
   * space-separated origins such as https://www.example.com. Other pages stay same-origin only.
   */
  FORMS_EMBED_ANCESTORS: z
    .string()
    .trim()
    .default("*")
    .refine((value) => /^(\*|(https?:\/\/[^\s;,'"]+)(\s+https?:\/\/[^\s;,'"]+)*)$/.test(value), {
      message: "use * or space-separated origins such as https://www.example.com",
    }),

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

  /**
   * Razorpay (src/integrations/razorpay): key id and secret (both, or neither: without them the
   * pricing page says payments are not configured and a platform admin grants plans by hand), and
   * the webhook secret that signs POST /webhooks/razorpay (a different secret).
   */
  RAZORPAY_KEY_ID: z.string().trim().optional(),
  RAZORPAY_KEY_SECRET: z.string().trim().optional(),
  RAZORPAY_WEBHOOK_SECRET: z.string().trim().optional(),
  /** Razorpay's REST API (orders). Tests point it at the local stand-in. */
  RAZORPAY_API_URL: z.url().default("https://api.razorpay.com"),
  /** Checkout's script; its origin is the only extra script/frame host of the payment page's CSP. */
  RAZORPAY_CHECKOUT_URL: z.url().default("https://checkout.razorpay.com/v1/checkout.js"),
  /**
   * WhatsApp Cloud API (src/integrations/whatsapp): the Graph API's address (tests point it at the
   * local stand-in), the Meta app's secret that signs POST /webhooks/whatsapp (empty: every POST
   * is refused with 401), and the token Meta echoes in the GET handshake (empty: refused, 403).
   */
  WHATSAPP_GRAPH_BASE_URL: z.url().default("https://graph.facebook.com"),
  WHATSAPP_APP_SECRET: z.string().trim().optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().trim().optional(),
  /**
   * Campaign sending (src/commands/campaigns/sending): recipients one batch job claims and sends
   * at once (and so at most in flight per worker when it is killed); how often a sending
   * campaign's dispatcher looks again (retries due, leases run out, completion); the share of a
   * number's throughput tier the limiter uses (below 1 absorbs network jitter, so Meta's own
   * one-second window never sees more than the tier); and how long a claimed send may take before
   * a row still "sending" is taken for lost (marked unknown, never sent again).
   */
  CAMPAIGN_SEND_GROUP: z.coerce.number().int().min(1).max(500).default(25),
  CAMPAIGN_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  CAMPAIGN_RATE_HEADROOM: z.coerce.number().min(0.5).max(1).default(0.98),
  CAMPAIGN_SEND_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /**
   * Social accounts (src/integrations/social): each network's OAuth app (client id and secret; a
   * network without a client id says so on /social/accounts instead of offering to connect), its
   * authorize and token endpoints and its API's address (tests point them at local stand-ins).
   * Instagram business accounts sign in through the Facebook app (FACEBOOK_CLIENT_ID).
   */
  LINKEDIN_CLIENT_ID: z.string().trim().optional(),
  LINKEDIN_CLIENT_SECRET: z.string().trim().optional(),
  LINKEDIN_AUTH_URL: z.url().default("https://www.linkedin.com/oauth/v2/authorization"),
  LINKEDIN_TOKEN_URL: z.url().default("https://www.linkedin.com/oauth/v2/accessToken"),
  LINKEDIN_API_BASE_URL: z.url().default("https://api.linkedin.com"),
  /** LinkedIn's versioned API month (LinkedIn-Version header, YYYYMM); LinkedIn retires old ones. */
  LINKEDIN_VERSION: z
    .string()
    .regex(/^\d{6}$/, { message: "use YYYYMM, e.g. 202506" })
    .default("202506"),
  FACEBOOK_CLIENT_ID: z.string().trim().optional(),
  FACEBOOK_CLIENT_SECRET: z.string().trim().optional(),
  FACEBOOK_AUTH_URL: z.url().default("https://www.facebook.com/v20.0/dialog/oauth"),
  FACEBOOK_TOKEN_URL: z.url().default("https://graph.facebook.com/v20.0/oauth/access_token"),
  FACEBOOK_API_BASE_URL: z.url().default("https://graph.facebook.com"),
  INSTAGRAM_API_BASE_URL: z.url().default("https://graph.facebook.com"),
  X_CLIENT_ID: z.string().trim().optional(),
  X_CLIENT_SECRET: z.string().trim().optional(),
  X_AUTH_URL: z.url().default("https://x.com/i/oauth2/authorize"),
  X_TOKEN_URL: z.url().default("https://api.x.com/2/oauth2/token"),
  X_API_BASE_URL: z.url().default("https://api.x.com"),
  /** Tokens that can be refreshed are refreshed this many minutes before they expire. */
  SOCIAL_TOKEN_REFRESH_AHEAD_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  /** Days a new account tries Silver for free (0: new accounts start on Free). */
  BILLING_TRIAL_DAYS: z.coerce.number().int().min(0).max(90).default(14),
  /** Days a paid plan keeps working after its period ends unpaid (past due) before it drops to Free. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingName = keyof Settings;
export const settingNames = Object.keys(settingsSchema.shape) as SettingName[];
