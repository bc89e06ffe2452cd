import { loadConfig } from "../config";
import { createLogger } from "../logger";
import { initModels } from "../models";
import { createSequelize, tuneConnection } from "./connection";
import { createMigrator, createSeeder } from "./migrator";

const usage = "usage: cli.js migrate | undo [--to <name>|--all] | seed";

/** `npm run migrate`, `npm run migrate:undo`, `npm run seed`. */
async function run(command: string | undefined, args: string[]): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, {}, config.logFormat);
  const sequelize = createSequelize(config.database);
  try {
    await tuneConnection(sequelize);
    const migrator = createMigrator(sequelize, logger);
    if (command === "migrate") {
      const applied = await migrator.up();
      process.stdout.write(`Applied ${applied.length} migration(s).\n`);
    } else if (command === "undo") {
      const to = args[0] === "--all" ? 0 : args[0] === "--to" ? args[1] : undefined;
      const reverted = to === undefined ? await migrator.down() : await migrator.down({ to });
      process.stdout.write(
        `Reverted ${reverted.length} migration(s): ${reverted.map((m) => m.name).join(", ")}\n`,
      );
    } else if (command === "seed") {
      const models = initModels(sequelize);
      const announce = (message: string) => process.stdout.write(`${message}\n`);
      const seeded = await createSeeder({ sequelize, models, announce }, logger).up();
      process.stdout.write(`Ran ${seeded.length} seeder(s).\n`);
    } else {
      throw new Error(usage);
    }
  } finally {
    await sequelize.close();
  }
}

run(process.argv[2], process.argv.slice(3)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
