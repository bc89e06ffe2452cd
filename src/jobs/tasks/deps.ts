import type { Sequelize } from "sequelize";
import type { Mailer } from "../../integrations/mail/mailer";
import type { Logger } from "../../logger";
import type { Models } from "../../models";

/** What a task may use. Payloads carry ids; everything else comes from here. */
export interface TaskDeps {
  sequelize: Sequelize;
  models: Models;
  logger: Logger;
  mailer: Mailer;
}
