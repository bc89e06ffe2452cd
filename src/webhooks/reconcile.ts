import { Op } from "sequelize";
import type { ReconcileStep } from "../jobs/reconciler";
import { acrossBusinesses } from "../tenancy/scope";
import { dispatchDelivery } from "./publish";

/** Deliveries queued per pass at most; the rest wait for the next pass (oldest owed first). */
export const reconcileBatch = 1000;

/**
 * Deliveries the database says are owed are queued again: a Redis restart loses their jobs, a
 * killed worker leaves its claim to run out. Pending rows due before the horizon (all of them on
 * the start pass) whose claim is free or expired get the job their row names (publish.ts,
 * deliveryJobId): a job Redis still holds is not added twice; an attempt whose sender died has a
 * new epoch, hence a new job.
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
      attributes: ["id", "businessId", "attempts", "leaseEpoch", "nextAttemptAt"],
      order: [["nextAttemptAt", "ASC"]],
      limit: reconcileBatch,
    });
    for (const delivery of owed) await dispatchDelivery(context, delivery);
    return owed.length;
  },
};
