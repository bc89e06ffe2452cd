import type { Sequelize } from "sequelize";
import type { Config } from "./config";
import type { Mailer } from "./integrations/mail/mailer";
import type { Jobs } from "./jobs/dispatcher";
import type { JobQueue } from "./jobs/queue";
import type { Clock } from "./lib/clock";
import type { LoginLimiter } from "./lib/loginLimiter";
import type { RateLimits } from "./lib/rateLimits";
import type { Logger } from "./logger";
import type { Models } from "./models";

/**
 * Everything a process holds, wired once (services.ts) for the runtime and the tests alike. Code
 * takes the narrowest `Pick<Deps, …>` it needs, so what a function touches reads off its signature.
 */
export interface Deps {
  config: Config;
  logger: Logger;
  /** The only source of "now" for commands, jobs and queue drivers. */
  clock: Clock;
  sequelize: Sequelize;
  models: Models;
  /** Background work by job name: how commands enqueue. */
  jobs: Jobs;
  /** The queue driver itself: for the runtime, health checks and the reconciler only. */
  queue: JobQueue;
  mailer: Mailer;
  /** Sign-in attempt limits (Redis-backed when REDIS_URL is set; connects on first use). */
  loginLimiter: LoginLimiter;
  /** Per-IP limits of public and webhook endpoints (Redis when REDIS_URL is set). */
  rateLimits: RateLimits;
  lifecycle: { shuttingDown: boolean };
}
