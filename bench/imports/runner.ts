import { loadConfig } from "../../src/config";
import { createSequelize } from "../../src/db/connection";
import { runImport } from "../../src/commands/imports/run";
import { systemClock } from "../../src/lib/clock";
import { createLogger } from "../../src/logger";
import { initModels } from "../../src/models";
import { loadTenantContext } from "../../src/tenancy/loader";

/**
 * The process that runs one import for the benchmark (its RSS is what is measured): the same
 * runImport() the run-import job calls, timed from the job's start to its end.
 */
async function main(): Promise<void> {
  const importId = Number(process.argv[2]);
  const config = loadConfig();
  const sequelize = createSequelize(config.database, { poolMax: 4 });
  const models = initModels(sequelize);
  const deps = { config, sequelize, models, clock: systemClock, logger: createLogger("warn") };
  const record = await models.Import.findByPk(importId);
  const ctx = record
    ? await loadTenantContext(deps, { businessId: record.businessId, userId: record.userId })
    : null;
  if (!ctx) throw new Error(`No import ${importId} with a member to run it`);
  const before = process.memoryUsage();
  const started = performance.now();
  const outcome = await runImport(deps, ctx, importId);
  const seconds = (performance.now() - started) / 1000;
  await sequelize.close();
  const after = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1_048_576);
  process.stdout.write(
    `${JSON.stringify({
      outcome: outcome.kind,
      seconds,
      maxRssKb: process.resourceUsage().maxRSS,
      // The process before the import (modules loaded, connected) and the heap after it.
      rssBeforeMb: mb(before.rss),
      heapUsedAfterMb: mb(after.heapUsed),
      heapTotalAfterMb: mb(after.heapTotal),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
