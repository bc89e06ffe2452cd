import { Op } from "sequelize";
import type { TaskDefinition } from "../queue";
import type { TaskDeps } from "./deps";

export type PurgeExpiredSessionsPayload = Record<string, never>;

/** Deletes browser sessions past their expiry, in batches so a big backlog never locks the table. */
export function purgeExpiredSessionsTask(
  deps: TaskDeps,
): TaskDefinition<PurgeExpiredSessionsPayload> {
  return {
    queue: "housekeeping",
    name: "purge-expired-sessions",
    async perform() {
      const { Session } = deps.models;
      let purged = 0;
      for (;;) {
        const batch = await Session.findAll({
          attributes: ["sid"],
          where: { expiresAt: { [Op.lt]: new Date() } },
          limit: 500,
        });
        if (batch.length === 0) break;
        purged += await Session.destroy({ where: { sid: batch.map((row) => row.sid) } });
      }
      deps.logger.info({ purged }, "expired sessions purged");
    },
  };
}
