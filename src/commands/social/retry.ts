import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { SocialPost, SocialPostTarget } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { actorOf, recordAudit } from "./audit";
import { dispatchTargets } from "./dispatch";
import { assertAccountsWithinPlan } from "./posts";
import { refreshPostStatus } from "./status";
import { postMessages } from "./validate";

export const retryMessages = {
  nothingFailed: "No network of this post failed, so there is nothing to retry.",
  notScheduled: "Only a scheduled post can be moved. Publish or edit it instead.",
  notUnknown: "Only a publish whose outcome is unknown can be resolved this way.",
};

/**
 * Moves a scheduled post to another time (the calendar's drag): the post and its pending targets
 * get the new time, and their jobs follow (new ids; an old job finds the row moved and ends).
 */
export async function reschedulePost(
  deps: Deps,
  ctx: TenantContext,
  post: SocialPost,
  at: Date,
): Promise<SocialPost> {
  authorize(ctx, "campaigns.manage");
  const now = deps.clock.now();
  if (at.getTime() <= now.getTime()) throw AppError.validation({ scheduledAt: postMessages.when });
  const { SocialPost: Posts, SocialPostTarget: Targets } = deps.models;
  const targets = await deps.sequelize.transaction(async (transaction) => {
    const fresh = await Posts.findOne({
      where: tenantWhere(ctx, Posts, { id: post.id }),
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!fresh || fresh.status !== "scheduled")
      throw new AppError("conflict", retryMessages.notScheduled);
    const pending = await Targets.findAll({
      where: tenantWhere(ctx, Targets, { postId: post.id, status: "pending" }),
      attributes: ["socialAccountId"],
      transaction,
    });
    await assertAccountsWithinPlan(
      deps,
      ctx,
      pending.map((t) => t.socialAccountId),
      transaction,
    );
    const before = fresh.scheduledAt;
    await fresh.update({ scheduledAt: at, updatedAt: now }, { transaction });
    await Targets.update(
      { nextAttemptAt: at, updatedAt: now },
      {
        where: tenantWhere(ctx, Targets, { postId: post.id, status: "pending", attempts: 0 }),
        transaction,
      },
    );
    await recordAudit(
      deps,
      { businessId: ctx.business.id, userId: actorOf(ctx) },
      post.id,
      "schedule",
      { scheduledAt: { from: before?.toISOString() ?? null, to: at.toISOString() } },
      transaction,
    );
    post.set(fresh.get());
    return Targets.findAll({
      where: tenantWhere(ctx, Targets, { postId: post.id, status: "pending" }),
      transaction,
    });
  });
  await dispatchTargets(deps, targets);
  return post;
}

/**
 * Publishes again only the targets that failed (or, with `targetId`, that one target — also one
 * whose outcome is unknown, which a person checked on the network first). Published targets are
 * left alone, so nothing goes out twice.
 */
export async function retryTargets(
  deps: Deps,
  ctx: TenantContext,
  post: SocialPost,
  targetId?: number,
): Promise<SocialPostTarget[]> {
  authorize(ctx, "campaigns.manage");
  const now = deps.clock.now();
  const { SocialPostTarget: Targets } = deps.models;
  const where = targetId
    ? { postId: post.id, id: targetId, status: { [Op.in]: ["failed", "unknown"] } }
    : { postId: post.id, status: "failed" };
  const retried = await deps.sequelize.transaction(async (transaction) => {
    const targets = await Targets.findAll({
      where: tenantWhere(ctx, Targets, where),
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (targets.length === 0) throw new AppError("conflict", retryMessages.nothingFailed);
    await assertAccountsWithinPlan(
      deps,
      ctx,
      targets.map((t) => t.socialAccountId),
      transaction,
    );
    for (const target of targets)
      await Targets.update(
        {
          status: "pending",
          nextAttemptAt: now,
          errorCause: null,
          errorMessage: null,
          errorFix: null,
          updatedAt: now,
        },
        {
          where: tenantWhere(ctx, Targets, { id: target.id, status: target.status }),
          transaction,
        },
      );
    await recordAudit(
      deps,
      { businessId: ctx.business.id, userId: actorOf(ctx) },
      post.id,
      "retry",
      { targets: targets.map((t) => ({ id: t.id, accountId: t.socialAccountId, was: t.status })) },
      transaction,
    );
    await refreshPostStatus(deps, ctx, post.id, transaction);
    return Targets.findAll({
      where: tenantWhere(ctx, Targets, { id: { [Op.in]: targets.map((t) => t.id) } }),
      transaction,
    });
  });
  await dispatchTargets(deps, retried);
  return retried;
}

/**
 * A person found the post of an 'unknown' target on the network: it is recorded as published
 * (without its id, which only the network knows).
 */
export async function markTargetPublished(
  deps: Deps,
  ctx: TenantContext,
  post: SocialPost,
  targetId: number,
): Promise<void> {
  authorize(ctx, "campaigns.manage");
  const now = deps.clock.now();
  const { SocialPostTarget: Targets } = deps.models;
  await deps.sequelize.transaction(async (transaction) => {
    const [changed] = await Targets.update(
      {
        status: "published",
        publishedAt: now,
        errorCause: null,
        errorMessage: null,
        errorFix: null,
        updatedAt: now,
      },
      {
        where: tenantWhere(ctx, Targets, { id: targetId, postId: post.id, status: "unknown" }),
        transaction,
      },
    );
    if (changed !== 1) throw new AppError("conflict", retryMessages.notUnknown);
    await recordAudit(
      deps,
      { businessId: ctx.business.id, userId: actorOf(ctx) },
      post.id,
      "publish",
      { target: targetId, status: { from: "unknown", to: "published" }, confirmedBy: "person" },
      transaction,
    );
    await refreshPostStatus(deps, ctx, post.id, transaction);
  });
}
