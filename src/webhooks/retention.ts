import { Op } from "sequelize";
import type { Deps } from "../deps";
import { acrossBusinesses } from "../tenancy/scope";

const batchSize = 500;

/**
 * The delivery log is kept WEBHOOK_LOG_DAYS: finished deliveries older than that are deleted, then
 * events no delivery refers to any more (a replay keeps its event as long as it is kept itself).
 * Owed deliveries are never deleted. In batches by id, so a backlog never locks a table for long.
 * Runs with the hourly purge (commands/housekeeping/purgeExpired.ts).
 */
export async function purgeOldWebhookData(
  deps: Pick<Deps, "models" | "clock" | "config">,
): Promise<{ deliveries: number; events: number }> {
  const { WebhookDelivery, WebhookEvent } = deps.models;
  const cutoff = new Date(deps.clock.nowMs() - deps.config.WEBHOOK_LOG_DAYS * 86_400_000);
  let deliveries = 0;
  for (;;) {
    const batch = await WebhookDelivery.findAll({
      where: acrossBusinesses("the delivery logs of every business expire together", {
        status: { [Op.ne]: "pending" },
        createdAt: { [Op.lt]: cutoff },
      }),
      attributes: ["id"],
      limit: batchSize,
    });
    if (batch.length === 0) break;
    deliveries += await WebhookDelivery.destroy({
      where: acrossBusinesses("ids just read", { id: batch.map((d) => d.id) }),
    });
  }
  let events = 0;
  let lastId = 0;
  for (;;) {
    const batch = await WebhookEvent.findAll({
      where: acrossBusinesses("old events of every business", {
        id: { [Op.gt]: lastId },
        createdAt: { [Op.lt]: cutoff },
      }),
      attributes: ["id"],
      order: [["id", "ASC"]],
      limit: batchSize,
    });
    if (batch.length === 0) break;
    lastId = batch[batch.length - 1]!.id;
    const ids = batch.map((e) => e.id);
    const kept = await WebhookDelivery.findAll({
      where: acrossBusinesses("deliveries still kept of those events", { eventId: ids }),
      attributes: ["eventId"],
    });
    const keep = new Set(kept.map((d) => d.eventId));
    const unused = ids.filter((id) => !keep.has(id));
    if (unused.length)
      events += await WebhookEvent.destroy({
        where: acrossBusinesses("events no delivery refers to", { id: unused }),
      });
  }
  return { deliveries, events };
}
