import { Op, type Model, type ModelStatic, type WhereOptions } from "sequelize";
import type { Deps } from "../../deps";
import { acrossBusinesses } from "../../tenancy/scope";
import { purgeOldWebhookData } from "../../webhooks/retention";

/** Expired single-use tokens are kept a week, so a late click can still be told "expired". */
const tokenGraceMs = 7 * 24 * 60 * 60 * 1000;

/**
 * Deletes what has expired: browser and API sessions, e-mailed tokens, refresh tokens,
 * invitations, and webhook delivery logs past WEBHOOK_LOG_DAYS. In batches, so a big backlog never locks a table for long. Platform-wide work:
 * these tables belong to accounts, not to one business.
 */
export async function purgeExpired(deps: Pick<Deps, "models" | "clock" | "logger" | "config">) {
  const { Session, UserToken, RefreshToken, Invitation } = deps.models;
  const now = deps.clock.now();
  const graceCutoff = new Date(now.getTime() - tokenGraceMs);
  const purged = {
    sessions: await purgeInBatches(Session, "sid", { expiresAt: { [Op.lt]: now } }),
    userTokens: await purgeInBatches(UserToken, "id", { expiresAt: { [Op.lt]: graceCutoff } }),
    refreshTokens: await purgeInBatches(RefreshToken, "id", { expiresAt: { [Op.lt]: now } }),
    invitations: await purgeInBatches(
      Invitation,
      "id",
      acrossBusinesses("expired invitations of every business are purged together", {
        acceptedAt: null,
        expiresAt: { [Op.lt]: graceCutoff },
      }),
    ),
    webhooks: await purgeOldWebhookData(deps),
  };
  deps.logger.info({ purged }, "expired records purged");
  return purged;
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
