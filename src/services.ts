import type { Sequelize } from "sequelize";
import { registerProcessors } from "../workers/processors";
import type { Config } from "./config";
import type { Deps } from "./deps";
import { createMailer } from "./integrations/mail/mailer";
import { queueDispatcher } from "./jobs/dispatcher";
import { JobOutbox } from "./jobs/outbox";
import { settlesWithin, type CloseOptions, type JobQueue, type RunnableJob } from "./jobs/queue";
import type { Clock } from "./lib/clock";
import { LoginLimiter } from "./lib/loginLimiter";
import { closeLiveNotifications } from "./notifications/live";
import { RateLimits } from "./lib/rateLimits";
import type { Logger } from "./logger";
import type { Models } from "./models";

/**
 * Everything a process holds besides its HTTP server, wired once for the real runtime and the
 * test app alike, with one shutdown order.
 */
export interface Services extends Deps {
  /**
   * Stops jobs (active ones are asked to stop at a checkpoint; up to `timeoutMs`), then releases
   * mail, Redis and the database.
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface ServiceParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  sequelize: Sequelize;
  models: Models;
  queue: JobQueue;
}

/** Longest wait for the database pool to close (it waits for connections still in use). */
const databaseCloseMs = 2000;

export function buildServices(parts: ServiceParts): Services {
  const mailer = createMailer(parts.config, parts.logger.child({ component: "mail" }));
  const loginLimiter = LoginLimiter.create(parts.config, parts.clock);
  const rateLimits = RateLimits.create(parts.config);
  return {
    ...parts,
    // A job Redis cannot take in time is kept in the database and queued by the reconciler.
    jobs: queueDispatcher(parts.queue, {
      outbox: new JobOutbox(parts.sequelize, parts.clock),
      timeoutMs: parts.config.JOB_DISPATCH_TIMEOUT_MS,
      logger: parts.logger.child({ component: "jobs" }),
      clock: parts.clock,
    }),
    mailer,
    loginLimiter,
    rateLimits,
    lifecycle: { shuttingDown: false },
    async close(options = {}) {
      await parts.queue.close(options);
      await mailer.close();
      await loginLimiter.close();
      await rateLimits.close();
      // Live notification channels (their Redis connections), when this process opened one.
      await closeLiveNotifications(parts.config);
      // A job left running at the deadline may hold a connection, which the pool would wait for.
      await settlesWithin(parts.sequelize.close(), databaseCloseMs);
    },
  };
}

/** Registers every queue's jobs (and any extra) and starts pulling them in this process. */
export async function startJobWorkers(
  services: Services,
  concurrency: number,
  extraJobs: RunnableJob[] = [],
): Promise<void> {
  registerProcessors(services);
  for (const job of extraJobs) services.queue.register(job);
  await services.queue.startWorkers({ concurrency });
}
