import { randomUUID } from "node:crypto";
import type { Application } from "express";
import { createApp } from "../../src/app";
import { BullmqQueue } from "../../src/jobs/bullmqQueue";
import { InProcessQueue } from "../../src/jobs/inProcessQueue";
import type { JobQueue } from "../../src/jobs/queue";
import { systemClock, type Clock } from "../../src/lib/clock";
import { createLogger } from "../../src/logger";
import { buildServices, startJobWorkers, type Services } from "../../src/services";
import { testConfig } from "./config";
import { openTestDatabase } from "./database";

export interface TestApp {
  app: Application;
  deps: Services;
  close(): Promise<void>;
}

/** A queue private to one test file: its own key prefix on Redis, or a fresh in-process queue. */
export function testQueue(clock: Clock = systemClock): JobQueue {
  const logger = createLogger(process.env.LOG_LEVEL ?? "silent");
  const redisUrl = process.env.REDIS_URL;
  return redisUrl
    ? new BullmqQueue({ redisUrl, prefix: `crm-test-${randomUUID().slice(0, 8)}`, logger, clock })
    : new InProcessQueue(logger, clock);
}

export interface TestAppOptions {
  /** Time for the app and its jobs; the real clock unless a test fixes it. */
  clock?: Clock;
}

/** The real app on this run's database and queue driver, for supertest. */
export async function buildTestApp(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  // A private key prefix: rate-limit counters in Redis are not shared with other test files.
  const config = testConfig({ QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`, ...overrides });
  const logger = createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? systemClock;
  const { sequelize, models } = await openTestDatabase();
  const services = buildServices({
    config,
    logger,
    clock,
    sequelize,
    models,
    queue: testQueue(clock),
  });
  // Jobs run as in the embedded app, so a test sees the e-mail a request queued.
  await startJobWorkers(services, 2);
  return { app: createApp(services), deps: services, close: () => services.close() };
}
