import { Op } from "sequelize";
import { dispatchTargets } from "../commands/social/dispatch";
import { sweepStuckPublishes } from "../commands/social/stuck";
import { warnExpiringTokens } from "../commands/social/tokenHealth";
import { formatDateTime } from "../lib/dates";
import { acrossBusinesses } from "../tenancy/scope";
import type { ReconcileStep } from "./reconciler";

/** Targets queued per pass at most; the rest wait for the next pass (earliest due first). */
export const socialSweepBatch = 1000;

/**
 * The social publisher's reconcile step. The database is the schedule: every pass (re)queues the
 * pending targets due before the horizon (all of them at start — so a process that was stopped
 * for an hour publishes what fell due meanwhile), under the ids their rows name, so a job Redis
 * still holds is not added twice and the atomic claim lets each target go out once. It also turns
 * publishes whose worker died mid-request into 'unknown', and warns of tokens that will have
 * expired before a scheduled post.
 */
export const socialSweepStep: ReconcileStep = {
  name: "social-posts",
  async run(context) {
    const stuck = await sweepStuckPublishes(context, context.now);
    const due = await context.models.SocialPostTarget.findAll({
      where: acrossBusinesses("the sweep re-queues every business's due social posts", {
        status: "pending",
        nextAttemptAt: context.horizon ? { [Op.lte]: context.horizon } : { [Op.ne]: null },
      }),
      attributes: ["id", "businessId", "attempts", "nextAttemptAt"],
      order: [["nextAttemptAt", "ASC"]],
      limit: socialSweepBatch,
    });
    await dispatchTargets(context, due);
    await warnExpiringTokens(context, context.now, formatDateTime);
    return due.length + stuck;
  },
};
