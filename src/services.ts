import type { Sequelize } from "sequelize";
import { registerProcessors } from "../workers/processors";
import type { Config } from "./config";
import type { Deps } from "./deps";
import { createMailer } from "./integrations/mail/mailer";
import { queueDispatcher } from "./jobs/dispatcher";
import type { JobQueue, RunnableJob } from "./jobs/queue";
import type { Clock } from "./lib/clock";
import { LoginLimiter } from "./lib/loginLimiter";
import { RateLimits } from "./lib/rateLimits";
import type { Logger } from "./logger";
import type { Models } from "./models";

/**
 * Everything a process holds besides its HTTP server, wired once for the real runtime and the
 * test app alike, with one shutdown order.
 */
export interface Services extends Deps {
  /** Stops jobs (active ones finish), then releases mail, Redis and the database. */
  close(): Promise<void>;
}

export interface ServiceParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  sequelize: Sequelize;
  models: Models;
  queue: JobQueue;
}

export function buildServices(parts: ServiceParts): Services {
  const mailer = createMailer(parts.config, parts.logger.child({ component: "mail" }));
  const loginLimiter = LoginLimiter.create(parts.config);
  const rateLimits = RateLimits.create(parts.config);
  return {
    ...parts,
    jobs: queueDispatcher(parts.queue),
    mailer,
    loginLimiter,
    rateLimits,
    lifecycle: { shuttingDown: false },
    async close() {
      await parts.queue.close();
      await mailer.close();
      await loginLimiter.close();
      await rateLimits.close();
      await parts.sequelize.close();
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
