import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { SocialPostStatus, SocialTargetStatus } from "../../models";
import { tenantWhere, type Scoped } from "../../tenancy/scope";

/**
 * A post's status from its targets': published when all are; failed when none is and none is
 * still on its way; partially failed when some are and the rest failed or are unknown; otherwise
 * scheduled (nothing started yet) or publishing. Drafts stay drafts.
 */
export function postStatusOf(
  current: SocialPostStatus,
  targets: ReadonlyArray<{ status: SocialTargetStatus; attempts: number }>,
): SocialPostStatus {
  if (current === "draft" || targets.length === 0) return current;
  const count = (status: SocialTargetStatus) => targets.filter((t) => t.status === status).length;
  const open = count("pending") + count("publishing");
  const published = count("published");
  if (published === targets.length) return "published";
  if (open === 0) return published === 0 ? "failed" : "partially_failed";
  const started = targets.some((t) => t.status !== "pending" || t.attempts > 0);
  return started ? "publishing" : "scheduled";
}

/**
 * Re-derives a post's status (and first publish time) from its targets inside `transaction`:
 * every change of a target ends with this, so the post's row never disagrees with its targets.
 */
export async function refreshPostStatus(
  deps: Pick<Deps, "models">,
  scoped: Scoped,
  postId: number,
  transaction: Transaction,
): Promise<SocialPostStatus | null> {
  const { SocialPost, SocialPostTarget } = deps.models;
  // The post's row is locked first: two targets of one post settling at once (two workers) would
  // otherwise each read the other still "publishing" (InnoDB's snapshot) and leave the post there.
  // Waiting here, the second reads the targets after the first has committed.
  const post = await SocialPost.findOne({
    where: tenantWhere(scoped, SocialPost, { id: postId }),
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
  if (!post) return null;
  const targets = await SocialPostTarget.findAll({
    where: tenantWhere(scoped, SocialPostTarget, { postId }),
    attributes: ["status", "attempts", "publishedAt"],
    transaction,
  });
  const status = postStatusOf(post.status, targets);
  const times = targets
    .map((t) => t.publishedAt?.getTime())
    .filter((t): t is number => typeof t === "number");
  const publishedAt = times.length ? new Date(Math.min(...times)) : null;
  if (
    status !== post.status ||
    (publishedAt?.getTime() ?? null) !== (post.publishedAt?.getTime() ?? null)
  )
    await SocialPost.update(
      { status, publishedAt },
      { where: tenantWhere(scoped, SocialPost, { id: postId }), transaction },
    );
  return status;
}
