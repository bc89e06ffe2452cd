import type { Sequelize } from "sequelize";
import type { Config } from "../config";
import type { JobQueue } from "../jobs/queue";
import type { Tasks } from "../jobs/tasks";
import type { Models } from "../models";

/** What commands use: the database, the queue (for e-mail and jobs) and settings. */
export interface CommandDeps {
  config: Config;
  sequelize: Sequelize;
  models: Models;
  queue: JobQueue;
  tasks: Tasks;
}
