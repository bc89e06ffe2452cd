import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { acrossBusinesses, businessScope, tenantWhere } from "../../tenancy/scope";
import { recordAudit } from "./audit";
import { networkLabels } from "./networks";
import { publishMessages } from "./outcome";
import { refreshPostStatus } from "./status";

/** How much longer than the request's own limit an open attempt may last before it is called stuck. */
export const stuckMarginMs = 10_000;

/**
 * Publishes whose worker died mid-request: the target is 'publishing' and its attempt is still open
 * well past the request's time limit. Whether the network got the post is unknown, so the target
 * becomes 'unknown' (shown with what to check) and is never sent again on its own. Returns how many.
 */
export async function sweepStuckPublishes(
  deps: Pick<Deps, "models" | "sequelize" | "config" | "clock">,
  now: Date,
): Promise<number> {
  const {
    SocialPublishAttempt: Attempts,
    SocialPostTarget: Targets,
    SocialAccount: Accounts,
  } = deps.models;
  const before = new Date(now.getTime() - deps.config.SOCIAL_PUBLISH_TIMEOUT_MS - stuckMarginMs);
  const open = await Attempts.findAll({
    where: acrossBusinesses(
      "the sweep finds every business's publishes left open by a dead worker",
      {
        outcome: "open",
        startedAt: { [Op.lt]: before },
      },
    ),
    limit: 500,
  });
  let marked = 0;
  for (const attempt of open) {
    const scope = businessScope(attempt.businessId);
    const done = await deps.sequelize.transaction(async (transaction) => {
      await Attempts.update(
        {
          outcome: "unknown",
          finishedAt: now,
          error: "The worker stopped before the network answered.",
        },
        { where: tenantWhere(scope, Attempts, { id: attempt.id, outcome: "open" }), transaction },
      );
      const target = await Targets.findOne({
        where: tenantWhere(scope, Targets, { id: attempt.targetId }),
        transaction,
      });
      if (!target || target.status !== "publishing") return false;
      const account = await Accounts.findOne({
        where: tenantWhere(scope, Accounts, { id: target.socialAccountId }),
        attributes: ["network", "displayName"],
        transaction,
      });
      const label = account ? networkLabels[account.network] : "the network";
      const [changed] = await Targets.update(
        {
          status: "unknown",
          errorCause: "unknown",
          errorMessage: publishMessages.unknownMessage("the publishing worker stopped mid-request"),
          errorFix: publishMessages.unknownFix(label),
          nextAttemptAt: null,
          updatedAt: now,
        },
        {
          where: tenantWhere(scope, Targets, {
            id: target.id,
            status: "publishing",
            attempts: target.attempts,
          }),
          transaction,
        },
      );
      if (changed !== 1) return false;
      await refreshPostStatus(deps, scope, target.postId, transaction);
      await recordAudit(
        deps,
        { businessId: attempt.businessId, userId: null },
        target.postId,
        "publish",
        {
          target: target.id,
          status: "unknown",
        },
        transaction,
      );
      return true;
    });
    if (done) marked += 1;
  }
  return marked;
}
