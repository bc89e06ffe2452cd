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
import { closeLiveNotifications, liveNotificationsFor } from "./notifications/live";
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
  /** Where messages for the person at the terminal go (the demo login); stdout by default. */
  print?: (text: string) => void;
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

/**
 * Embedded mode prepares its own database; production expects `npm run migrate` first. One log
 * line for the migrations and one for the seeds, however many ran. What the seeds announce (the
 * demo login) is returned, to be shown once the real address is known.
 */
async function prepareDatabase(
  config: Config,
  sequelize: Sequelize,
  models: Models,
  logger: Logger,
): Promise<string[]> {
  const migrator = createMigrator(sequelize);
  if (config.autoMigrate) {
    const applied = await migrator.up();
    if (applied.length > 0)
      logger.info({ applied: applied.length, latest: applied.at(-1)?.name }, "database migrated");
  } else {
    const pending = await migrator.pending();
    if (pending.length > 0) {
      throw new Error(
        `${pending.length} pending migration(s) (${pending.map((m) => m.name).join(", ")}): run \`npm run migrate\` first`,
      );
    }
  }
  const announcements: string[] = [];
  if (config.seedDemo) {
    const announce = (message: string) => announcements.push(message);
    const seeded = await createSeeder({ sequelize, models, announce }).up();
    if (seeded.length > 0) logger.info({ seeds: seeded.length }, "demo data seeded");
  }
  return announcements;
}

/** The address a person opens: a loopback or wildcard host is this machine, i.e. localhost. */
export function listeningUrl(host: string, port: number): string {
  const local = ["127.0.0.1", "::1", "0.0.0.0", "::", "localhost"].includes(host);
  const name = local ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * The seeds' messages with the address to open, set apart from the log lines around them. A
 * message naming `{url}` itself (the demo form's /f/ address) gets it there instead of below.
 */
function banner(announcements: string[], url: string): string {
  return announcements
    .map((message) =>
      message.includes("{url}")
        ? `\n${message.replaceAll("{url}", url)}\n\n`
        : `\n${message}\n  ${url}\n\n`,
    )
    .join("");
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
  const print = options.print ?? ((text: string) => void process.stdout.write(text));
  const role = options.role ?? config.PROCESS_ROLE;
  const sequelize = createSequelize(config.database, { poolMax: config.DATABASE_POOL_MAX });
  const models = initModels(sequelize);
  let announcements: string[];
  try {
    await tuneConnection(sequelize);
    announcements = await prepareDatabase(config, sequelize, models, logger);
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
  // Live notification signals: jobs publish them, web processes deliver them (notifications/live.ts).
  liveNotificationsFor(config);
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
    const url = listeningUrl(config.HOST, runtime.port);
    logger.info(
      { url, port: runtime.port, host: config.HOST, role, jobs: queue.driver },
      "listening",
    );
    // After the last start-up line, with the address this process really listens on.
    if (announcements.length > 0) print(banner(announcements, url));
  } else {
    logger.info({ role, jobs: queue.driver }, "worker started");
    if (announcements.length > 0) print(banner(announcements, config.APP_URL));
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
      // Ends open server-sent-event streams, which would otherwise hold the server open.
      await closeLiveNotifications(config);
      if (runtime.server) await closeServer(runtime.server, left());
      await services.close({ timeoutMs: left() });
      logger.info({ role }, "shutdown complete");
    })();
    return stopping;
  };
  return runtime;
}
