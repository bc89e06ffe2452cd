import { Op, type Model, type ModelStatic, type WhereOptions } from "sequelize";
import type { TaskDefinition } from "../queue";
import type { TaskDeps } from "./deps";

export type PurgeExpiredSessionsPayload = Record<string, never>;

/** Expired single-use tokens are kept a week, so a late click can still be told "expired". */
const tokenGraceMs = 7 * 24 * 60 * 60 * 1000;

/**
 * Deletes what has expired: browser and API sessions, e-mailed tokens, refresh tokens and
 * invitations. In batches, so a big backlog never locks a table for long.
 */
export function purgeExpiredSessionsTask(
  deps: TaskDeps,
): TaskDefinition<PurgeExpiredSessionsPayload> {
  return {
    queue: "housekeeping",
    name: "purge-expired-sessions",
    async perform() {
      const { Session, UserToken, RefreshToken, Invitation } = deps.models;
      const now = new Date();
      const graceCutoff = new Date(now.getTime() - tokenGraceMs);
      const purged = {
        sessions: await purgeInBatches(Session, "sid", { expiresAt: { [Op.lt]: now } }),
        userTokens: await purgeInBatches(UserToken, "id", { expiresAt: { [Op.lt]: graceCutoff } }),
        refreshTokens: await purgeInBatches(RefreshToken, "id", { expiresAt: { [Op.lt]: now } }),
        invitations: await purgeInBatches(Invitation, "id", {
          acceptedAt: null,
          expiresAt: { [Op.lt]: graceCutoff },
        }),
      };
      deps.logger.info({ purged }, "expired records purged");
    },
  };
}

async function purgeInBatches(
  model: ModelStatic<Model>,
  key: string,
  where: WhereOptions,
): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await model.findAll({ attributes: [key], where, limit: 500 });
    if (batch.length === 0) return total;
    total += await model.destroy({ where: { [key]: batch.map((row) => row.get(key)) } });
  }
}
