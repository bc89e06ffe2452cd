import { randomUUID } from "node:crypto";
import type { Transaction } from "sequelize";
import type { Deps } from "../deps";
import type { WebhookDelivery } from "../models";
import { scopeOf, tenantWhere, type Scoped } from "../tenancy/scope";
import { parseEventList, type WebhookEventType } from "./events";

export type PublishDeps = Pick<Deps, "sequelize" | "models" | "jobs" | "clock" | "logger">;

/** The id of a delivery's job for its current attempt and lease epoch (see dispatchDelivery). */
export function deliveryJobId(
  delivery: Pick<WebhookDelivery, "id" | "attempts" | "leaseEpoch">,
): string {
  return `webhook-${delivery.id}-a${delivery.attempts}-e${delivery.leaseEpoch}`;
}

/**
 * Queues the job of a delivery's next attempt. The id follows the row (attempts, lease epoch), so
 * the reconciler, which queues owed deliveries again from the database, asks for the same job as
 * the code that queued it first — a job Redis still holds is not added twice — while an attempt
 * whose worker died (it claimed the row: the epoch moved) gets a job of its own. Never throws: a
 * delivery the queue did not take stays owed in the database and the reconciler queues it.
 */
export async function dispatchDelivery(
  deps: Pick<Deps, "jobs" | "logger">,
  delivery: Pick<
    WebhookDelivery,
    "id" | "businessId" | "attempts" | "leaseEpoch" | "nextAttemptAt"
  >,
): Promise<void> {
  try {
    await deps.jobs.dispatchOwed(
      "deliver-webhook",
      {
        businessId: delivery.businessId,
        userId: null,
        deliveryId: delivery.id,
        attempts: delivery.attempts,
        epoch: delivery.leaseEpoch,
      },
      { jobId: deliveryJobId(delivery), runAt: delivery.nextAttemptAt ?? undefined },
    );
  } catch (err) {
    deps.logger.warn(
      { err, deliveryId: delivery.id },
      "webhook delivery not queued; reconciler will",
    );
  }
}

/** The JSON every receiver gets: envelope fields first, the event's data last. */
export function eventBody(
  publicId: string,
  type: WebhookEventType,
  businessId: number,
  createdAt: Date,
  data: Record<string, unknown>,
): string {
  return JSON.stringify({
    id: publicId,
    type,
    created_at: createdAt.toISOString(),
    business_id: businessId,
    data,
  });
}

/**
 * Whether any enabled endpoint of the business takes `type` (and its plan has webhooks): lets a
 * caller skip loading what an event would carry (the customers a bulk delete removes).
 */
export async function wantsEvent(
  deps: Pick<Deps, "models">,
  scoped: Scoped,
  type: WebhookEventType,
  transaction?: Transaction,
): Promise<boolean> {
  if ("plan" in scoped && !scoped.plan.features.includes("webhooks")) return false;
  const endpoints = await deps.models.WebhookEndpoint.findAll({
    where: tenantWhere(scopeOf(scoped), deps.models.WebhookEndpoint, { enabled: true }),
    attributes: ["events"],
    transaction,
  });
  return endpoints.some((e) => parseEventList(e.events).includes(type));
}

/**
 * Publishes an event of the business: records it and one pending delivery per enabled endpoint
 * subscribed to `type` — inside `transaction` when given, so they commit or roll back with the
 * change itself (outbox style: an event is neither lost nor sent for a change that did not
 * happen) — then queues the deliveries once that transaction has committed (at once without
 * one). Returns the event's id ("evt_…"), or null when no endpoint wants it (nothing stored), or
 * when the business's plan has no webhooks (only checked when given a member's context).
 */
export async function publishEvent(
  deps: PublishDeps,
  scoped: Scoped,
  type: WebhookEventType,
  data: Record<string, unknown>,
  options: { transaction?: Transaction } = {},
): Promise<string | null> {
  const [id] = await publishEvents(deps, scoped, type, [data], options);
  return id ?? null;
}

/**
 * publishEvent for many records of one change at once (a bulk action's batch): the endpoints are
 * read once, then one event per item. Returns the events' ids in order (empty when no endpoint
 * wants them).
 */
export async function publishEvents(
  deps: PublishDeps,
  scoped: Scoped,
  type: WebhookEventType,
  items: Array<Record<string, unknown>>,
  options: { transaction?: Transaction } = {},
): Promise<string[]> {
  if ("plan" in scoped && !scoped.plan.features.includes("webhooks")) return [];
  if (items.length === 0) return [];
  const scope = scopeOf(scoped);
  const { models } = deps;
  const record = async (transaction: Transaction) => {
    const endpoints = await models.WebhookEndpoint.findAll({
      where: tenantWhere(scope, models.WebhookEndpoint, { enabled: true }),
      attributes: ["id", "events"],
      transaction,
    });
    const subscribed = endpoints.filter((e) => parseEventList(e.events).includes(type));
    const ids: string[] = [];
    const deliveries: WebhookDelivery[] = [];
    if (subscribed.length === 0) return { ids, deliveries };
    const now = deps.clock.now();
    for (const data of items) {
      const publicId = `evt_${randomUUID().replace(/-/g, "")}`;
      const event = await models.WebhookEvent.create(
        {
          businessId: scope.businessId,
          publicId,
          type,
          body: eventBody(publicId, type, scope.businessId, now, data),
          createdAt: now,
        },
        { transaction },
      );
      ids.push(publicId);
      for (const endpoint of subscribed)
        deliveries.push(
          await models.WebhookDelivery.create(
            {
              businessId: scope.businessId,
              endpointId: endpoint.id,
              eventId: event.id,
              status: "pending",
              nextAttemptAt: now,
              createdAt: now,
              updatedAt: now,
            },
            { transaction },
          ),
        );
    }
    return { ids, deliveries };
  };
  const dispatchAll = async (deliveries: WebhookDelivery[]) => {
    for (const delivery of deliveries) await dispatchDelivery(deps, delivery);
  };

  if (options.transaction) {
    const result = await record(options.transaction);
    if (result.deliveries.length)
      options.transaction.afterCommit(() => dispatchAll(result.deliveries));
    return result.ids;
  }
  const result = await deps.sequelize.transaction(record);
  await dispatchAll(result.deliveries);
  return result.ids;
}
