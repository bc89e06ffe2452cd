import { randomUUID } from "node:crypto";
import type { Application } from "express";
import { createApp, type AppDeps } from "../../src/app";
import { BullmqQueue } from "../../src/jobs/bullmqQueue";
import { InProcessQueue } from "../../src/jobs/inProcessQueue";
import type { JobQueue } from "../../src/jobs/queue";
import { buildTasks, type Tasks } from "../../src/jobs/tasks";
import { createMailer } from "../../src/integrations/mail/mailer";
import { createLogger } from "../../src/logger";
import { appDepsOf, buildServices, startJobWorkers } from "../../src/services";
import { testConfig } from "./config";
import { openTestDatabase } from "./database";

export interface TestApp {
  app: Application;
  deps: AppDeps;
  close(): Promise<void>;
}

/** A queue private to one test file: its own key prefix on Redis, or a fresh in-process queue. */
export function testQueue(): JobQueue {
  const logger = createLogger(process.env.LOG_LEVEL ?? "silent");
  const redisUrl = process.env.REDIS_URL;
  return redisUrl
    ? new BullmqQueue({ redisUrl, prefix: `crm-test-${randomUUID().slice(0, 8)}`, logger })
    : new InProcessQueue(logger);
}

/** The app's tasks bound to a test database (mail goes to the outbox), for tests that run one. */
export function testTasks(
  db: Pick<AppDeps, "sequelize" | "models">,
  queue: JobQueue = new InProcessQueue(createLogger("silent")),
): Tasks {
  const logger = createLogger("silent");
  const config = testConfig();
  return buildTasks({ ...db, config, queue, logger, mailer: createMailer(config, logger) });
}

/** The real app on this run's database and queue driver, for supertest. */
export async function buildTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  // A private key prefix: rate-limit counters in Redis are not shared with other test files.
  const config = testConfig({ QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`, ...overrides });
  const logger = createLogger(config.LOG_LEVEL);
  const { sequelize, models } = await openTestDatabase();
  const services = buildServices(
    { config, logger, sequelize, models, queue: testQueue() },
    { web: true },
  );
  // Jobs run as in the embedded app, so a test sees the e-mail a request queued.
  await startJobWorkers(services, 2);
  const deps = appDepsOf(services);
  return { app: createApp(deps), deps, close: () => services.close() };
}
