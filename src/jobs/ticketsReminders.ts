import { Op } from "sequelize";
import { scheduleSlaReminder } from "../commands/tickets/reminders";
import { slaActiveStatuses } from "../commands/tickets/sla";
import type { Models, Ticket } from "../models";
import { acrossBusinesses } from "../tenancy/scope";
import type { ReconcileStep } from "./reconciler";

/** Targets missed more than this long ago are stale news at start-up: the list shows them overdue. */
export const slaCatchUpMs = 24 * 60 * 60 * 1000;

/**
 * Active tickets with an SLA target falling due between a day ago and `until` (all later ones
 * without it), in id batches, across businesses: the reconciler's platform work.
 */
export async function* ticketsOwedReminders(
  models: Models,
  now: Date,
  { batchSize = 500, until }: { batchSize?: number; until?: Date } = {},
): AsyncGenerator<Ticket[]> {
  const since = new Date(now.getTime() - slaCatchUpMs);
  const window = until ? { [Op.gte]: since, [Op.lte]: until } : { [Op.gte]: since };
  let afterId = 0;
  for (;;) {
    const batch = await models.Ticket.findAll({
      attributes: [
        "id",
        "businessId",
        "status",
        "firstResponseDueAt",
        "firstRespondedAt",
        "resolutionDueAt",
        "slaRemindedFor",
      ],
      where: acrossBusinesses("the reconciler re-queues every business's owed SLA reminders", {
        status: { [Op.in]: slaActiveStatuses },
        id: { [Op.gt]: afterId },
        [Op.or]: [
          { firstRespondedAt: null, firstResponseDueAt: window },
          { resolutionDueAt: window },
        ],
      }),
      order: [["id", "ASC"]],
      limit: batchSize,
    });
    if (batch.length === 0) return;
    afterId = batch[batch.length - 1]!.id;
    yield batch;
  }
}

/**
 * Puts back the SLA reminder of every active ticket whose next target is owed one: a restart of
 * the in-process driver or a Redis loss drops delayed jobs, the tickets table still knows them.
 * Job ids name ticket, target and due time, so re-queuing is harmless.
 */
export const ticketsReminderStep: ReconcileStep = {
  name: "ticket-sla-reminders",
  async run(context) {
    let count = 0;
    const until = context.horizon ?? undefined;
    for await (const batch of ticketsOwedReminders(context.models, context.now, { until })) {
      for (const ticket of batch) await scheduleSlaReminder(context, ticket);
      count += batch.length;
    }
    return count;
  },
};
