import type { Sequelize } from "sequelize";
import { registerProcessors } from "../workers/processors";
import type { AppDeps } from "./app";
import type { Config } from "./config";
import { createMailer, type Mailer } from "./integrations/mail/mailer";
import type { AnyTask, JobQueue } from "./jobs/queue";
import { buildTasks, type Tasks } from "./jobs/tasks";
import { LoginLimiter } from "./lib/loginLimiter";
import type { Logger } from "./logger";
import type { Models } from "./models";

/**
 * Everything a process holds besides its HTTP server, wired once for the real runtime and the
 * test app alike, with one shutdown order.
 */
export interface Services {
  config: Config;
  logger: Logger;
  sequelize: Sequelize;
  models: Models;
  queue: JobQueue;
  tasks: Tasks;
  mailer: Mailer;
  /** Only where HTTP is served: sign-in limits. */
  loginLimiter: LoginLimiter | null;
  lifecycle: { shuttingDown: boolean };
  /** Stops jobs (active ones finish), then releases mail, Redis and the database. */
  close(): Promise<void>;
}

export interface ServiceParts {
  config: Config;
  logger: Logger;
  sequelize: Sequelize;
  models: Models;
  queue: JobQueue;
}

export function buildServices(parts: ServiceParts, options: { web: boolean }): Services {
  const mailer = createMailer(parts.config, parts.logger.child({ component: "mail" }));
  const tasks = buildTasks({
    config: parts.config,
    queue: parts.queue,
    sequelize: parts.sequelize,
    models: parts.models,
    logger: parts.logger,
    mailer,
  });
  const loginLimiter = options.web ? LoginLimiter.create(parts.config) : null;
  return {
    ...parts,
    tasks,
    mailer,
    loginLimiter,
    lifecycle: { shuttingDown: false },
    async close() {
      await parts.queue.close();
      await mailer.close();
      await loginLimiter?.close();
      await parts.sequelize.close();
    },
  };
}

/** Registers every queue's tasks (and any extra) and starts pulling jobs in this process. */
export async function startJobWorkers(
  services: Services,
  concurrency: number,
  extraTasks: AnyTask[] = [],
): Promise<void> {
  registerProcessors(services.queue, services.tasks);
  for (const task of extraTasks) services.queue.register(task);
  await services.queue.startWorkers({ concurrency });
}

/** What the Express app needs; only a web process has it. */
export function appDepsOf(services: Services): AppDeps {
  if (!services.loginLimiter) throw new Error("The app needs services built with { web: true }");
  return { ...services, loginLimiter: services.loginLimiter };
}
