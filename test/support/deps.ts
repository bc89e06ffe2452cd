import type { Deps } from "../../src/deps";
import { createMailer } from "../../src/integrations/mail/mailer";
import { queueDispatcher } from "../../src/jobs/dispatcher";
import { InProcessQueue } from "../../src/jobs/inProcessQueue";
import type { JobQueue } from "../../src/jobs/queue";
import { systemClock, type Clock } from "../../src/lib/clock";
import { LoginLimiter } from "../../src/lib/loginLimiter";
import { RateLimits } from "../../src/lib/rateLimits";
import { createLogger } from "../../src/logger";
import type { Business, User } from "../../src/models";
import type { TenantContext } from "../../src/tenancy/context";
import { loadTenantContext } from "../../src/tenancy/loader";
import { registerProcessors } from "../../workers/processors";
import { testQueue } from "./app";
import { testConfig } from "./config";
import type { TestDatabase } from "./database";

/**
 * The context a request of `user` in `business` would carry — built by the app's own loader,
 * as pages and jobs build theirs.
 */
export async function contextFor(
  db: TestDatabase,
  business: Pick<Business, "id">,
  user: Pick<User, "id">,
): Promise<TenantContext> {
  const ctx = await loadTenantContext(db, { businessId: business.id, userId: user.id });
  if (!ctx) throw new Error("contextFor: the user is not a member of the business");
  return ctx;
}

/** The business's own context for scheduled work (no member asked for it). */
export async function systemContextFor(
  db: TestDatabase,
  business: Pick<Business, "id">,
): Promise<TenantContext> {
  const ctx = await loadTenantContext(db, { businessId: business.id, userId: null });
  if (!ctx) throw new Error("systemContextFor: no such business");
  return ctx;
}

export interface TestDepsOptions {
  /** Where dispatched jobs go; an in-process queue nobody works by default. */
  queue?: JobQueue;
  clock?: Clock;
}

/** The app's dependencies on the test database (mail goes to the outbox). */
export function testDeps(db: TestDatabase, options: TestDepsOptions = {}): Deps {
  const config = testConfig();
  const logger = createLogger("silent");
  const clock = options.clock ?? systemClock;
  const queue = options.queue ?? new InProcessQueue(logger, clock);
  return {
    config,
    logger,
    clock,
    sequelize: db.sequelize,
    models: db.models,
    queue,
    jobs: queueDispatcher(queue),
    mailer: createMailer(config, logger),
    loginLimiter: LoginLimiter.create(config, clock),
    rateLimits: RateLimits.create(config),
    lifecycle: { shuttingDown: false },
  };
}

/**
 * A process's job side on the test database: its own queue (Redis with a private prefix when the
 * run has REDIS_URL, in-process otherwise) with every job handler registered and workers running.
 */
export async function startJobProcess(
  db: TestDatabase,
  options: { clock?: Clock } = {},
): Promise<Deps & { close(): Promise<void> }> {
  const clock = options.clock ?? systemClock;
  const deps = testDeps(db, { queue: testQueue(clock), clock });
  registerProcessors(deps);
  await deps.queue.startWorkers();
  return {
    ...deps,
    async close() {
      await deps.queue.close();
      await deps.loginLimiter.close();
      await deps.rateLimits.close();
      await deps.mailer.close();
    },
  };
}
