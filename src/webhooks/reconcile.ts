import { Op } from "sequelize";
import type { ReconcileStep } from "../jobs/reconciler";
import type { WebhookDelivery } from "../models";
import { acrossBusinesses } from "../tenancy/scope";
import { leaseMarginMs } from "./deliver";
import { deliveryJobId, dispatchDelivery } from "./publish";

/** Deliveries queued per pass at most; the rest wait for the next pass (oldest owed first). */
export const reconcileBatch = 1000;

/**
 * Deliveries the database says are owed are queued again: a Redis restart loses their jobs, a
 * killed worker leaves its claim to run out. Pending rows due before the horizon (all of them on
 * the start pass) whose claim is free or expired get the job their row names (publish.ts,
 * deliveryJobId): a job Redis still holds is not added twice; an attempt whose sender died has a
 * new epoch, hence a new job. A worker killed after taking a job but before claiming its row
 * leaves that job "active" on the queue until BullMQ finds it stalled (up to a minute): an owed
 * delivery overdue by more than a request's length whose job is still active is given a new
 * epoch (the old job, if it ever runs, finds itself stale) and a new job.
 */
export const webhookDeliveryStep: ReconcileStep = {
  name: "webhook-deliveries",
  async run(context) {
    const { WebhookDelivery: model } = context.models;
    const owed = await model.findAll({
      where: acrossBusinesses("the reconciler re-queues every business's owed deliveries", {
        status: "pending",
        ...(context.horizon ? { nextAttemptAt: { [Op.lte]: context.horizon } } : {}),
        [Op.or]: [{ leaseOwner: null }, { leaseExpiresAt: { [Op.lt]: context.now } }],
      }),
      attributes: ["id", "businessId", "attempts", "leaseEpoch", "leaseOwner", "nextAttemptAt"],
      order: [["nextAttemptAt", "ASC"]],
      limit: reconcileBatch,
    });
    const stuckBefore = context.now.getTime() - context.config.WEBHOOK_TIMEOUT_MS - leaseMarginMs;
    for (const delivery of owed) {
      const overdue =
        delivery.leaseOwner === null &&
        delivery.nextAttemptAt !== null &&
        delivery.nextAttemptAt.getTime() < stuckBefore;
      if (overdue && !(await takeOverStuckJob(context, delivery))) continue;
      await dispatchDelivery(context, delivery);
    }
    return owed.length;
  },
};

/** False when another process moved the row on meanwhile (it dispatched the next job itself). */
async function takeOverStuckJob(
  context: Parameters<ReconcileStep["run"]>[0],
  delivery: WebhookDelivery,
): Promise<boolean> {
  const state = await context.jobs
    .state("deliver-webhook", deliveryJobId(delivery))
    .catch(() => "unknown");
  if (state !== "active") return true;
  const [moved] = await context.models.WebhookDelivery.update(
    { leaseEpoch: delivery.leaseEpoch + 1 },
    {
      where: acrossBusinesses("a stuck job of an owed delivery, found by the reconciler", {
        id: delivery.id,
        status: "pending",
        attempts: delivery.attempts,
        leaseEpoch: delivery.leaseEpoch,
        leaseOwner: null,
      }),
    },
  );
  if (moved !== 1) return false;
  delivery.leaseEpoch += 1;
  return true;
}
