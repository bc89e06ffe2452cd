import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./logger";
import { startRuntime, type Role } from "./runtime";

/**
 * Process entry for `npm start` (role from PROCESS_ROLE, default all) and, through
 * workers/index.ts, for `npm run worker`.
 */
export async function main(roleOverride?: Role): Promise<void> {
  let config;
  try {
    const env = roleOverride ? { ...process.env, PROCESS_ROLE: roleOverride } : process.env;
    config = loadConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `${error.message}\nFix property.env or the environment and start again.\n`,
      );
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL, {}, config.logFormat);
  const starting = startRuntime({ config, logger });

  // Listening from the start: a SIGTERM while the process is still starting (a deploy, CI's
  // smoke test) stops it once started, exiting 0, instead of killing it half-way.
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.error("shutdown took too long; exiting anyway");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5000);
    deadline.unref();
    starting
      .then((runtime) => runtime.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  await starting;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
