import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Sequelize } from "sequelize";
import { createApp } from "./app";
import type { Config } from "./config";
import { createSequelize, tuneConnection } from "./db/connection";
import { createMigrator, createSeeder } from "./db/migrator";
import { createQueue } from "./jobs/createQueue";
import { reconcileSteps } from "./jobs/reconcileSteps";
import type { JobQueue, RunnableJob } from "./jobs/queue";
import { Reconciler } from "./jobs/reconciler";
import { systemClock, type Clock } from "./lib/clock";
import { buildServices, startJobWorkers, type Services } from "./services";
import type { Logger } from "./logger";
import { initModels, type Models } from "./models";

export type Role = "web" | "worker" | "all";

export interface RuntimeOptions {
  config: Config;
  logger: Logger;
  role?: Role;
  /** Extra jobs for this process (tests use it to observe draining). */
  extraJobs?: RunnableJob[];
  clock?: Clock;
}

export interface Runtime {
  role: Role;
  sequelize: Sequelize;
  models: Models;
  queue: JobQueue;
  services: Services;
  server?: Server;
  /** The bound port when serving HTTP. */
  port?: number;
  lifecycle: { shuttingDown: boolean };
  stop(): Promise<void>;
}

/** Embedded mode prepares its own database; production expects `npm run migrate` first. */
async function prepareDatabase(
  config: Config,
  sequelize: Sequelize,
  models: Models,
  logger: Logger,
): Promise<void> {
  const migrator = createMigrator(sequelize, logger);
  if (config.autoMigrate) {
    await migrator.up();
  } else {
    const pending = await migrator.pending();
    if (pending.length > 0) {
      throw new Error(
        `${pending.length} pending migration(s) (${pending.map((m) => m.name).join(", ")}): run \`npm run migrate\` first`,
      );
    }
  }
  if (config.seedDemo) {
    const announce = (message: string) =>
      process.stdout.write(`\n${message}\n  ${config.APP_URL}\n\n`);
    await createSeeder({ sequelize, models, announce }, logger).up();
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** Stops accepting connections and waits for the requests in flight, up to the deadline. */
function closeServer(server: Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, deadlineMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Starts the parts of the app this process runs: HTTP (web), jobs (worker), or both (all). */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = options;
  const role = options.role ?? config.PROCESS_ROLE;
  const sequelize = createSequelize(config.database, { poolMax: config.DATABASE_POOL_MAX });
  const models = initModels(sequelize);
  try {
    await tuneConnection(sequelize);
    await prepareDatabase(config, sequelize, models, logger);
  } catch (error) {
    await sequelize.close();
    throw error;
  }

  const clock = options.clock ?? systemClock;
  const services = buildServices({
    config,
    logger,
    clock,
    sequelize,
    models,
    queue: createQueue(config, logger, clock),
  });
  const { queue, lifecycle } = services;
  const runtime: Runtime = {
    role,
    sequelize,
    models,
    queue,
    services,
    lifecycle,
    stop: async () => {},
  };

  let reconciler: Reconciler | undefined;
  if (role !== "web") {
    await startJobWorkers(services, config.JOB_CONCURRENCY, options.extraJobs);
    reconciler = new Reconciler(logger.child({ component: "reconciler" }));
    for (const step of reconcileSteps) reconciler.register(step);
    // At start, then every RECONCILE_INTERVAL_MS: a Redis restarted empty is repaired in place.
    await reconciler.start(services, config.RECONCILE_INTERVAL_MS);
  }
  if (role !== "worker") {
    const app = createApp(services);
    runtime.server = createServer(app);
    runtime.port = await listen(runtime.server, config.PORT, config.HOST);
    logger.info({ port: runtime.port, host: config.HOST, role, jobs: queue.driver }, "listening");
  } else {
    logger.info({ role, jobs: queue.driver }, "worker started");
  }

  let stopping: Promise<void> | undefined;
  runtime.stop = () => {
    stopping ??= (async () => {
      lifecycle.shuttingDown = true;
      // One deadline for the whole shutdown. Monotonic real time, not the clock: it bounds how
      // long the process lingers, whatever time the app believes it is.
      const deadline = performance.now() + config.SHUTDOWN_TIMEOUT_MS;
      const left = () => Math.max(0, deadline - performance.now());
      // Order matters: no new passes or requests, then jobs stop at their checkpoints (they use
      // the database and Redis to hand their work on), then connections close.
      await reconciler?.stop(left());
      if (runtime.server) await closeServer(runtime.server, left());
      await services.close({ timeoutMs: left() });
      logger.info({ role }, "shutdown complete");
    })();
    return stopping;
  };
  return runtime;
}
