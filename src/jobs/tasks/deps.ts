import type { Sequelize } from "sequelize";
import type { Config } from "../../config";
import type { Mailer } from "../../integrations/mail/mailer";
import type { Logger } from "../../logger";
import type { Models } from "../../models";
import type { JobQueue } from "../queue";
import type { Tasks } from "./index";

/** What a task may use. Payloads carry ids; everything else comes from here. */
export interface TaskDeps {
  config: Config;
  sequelize: Sequelize;
  models: Models;
  logger: Logger;
  mailer: Mailer;
  /** For tasks that queue further work (e-mails, follow-ups). */
  queue: JobQueue;
  /** Every task of this process (filled once all are built). */
  tasks(): Tasks;
}
