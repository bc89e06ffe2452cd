import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type {
  SocialAccount,
  SocialPost,
  SocialPostStatus,
  SocialPublishAttempt,
} from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";

export interface PostFilter {
  status?: SocialPostStatus;
  accountId?: number;
}

/** A post of the business with its targets (and their accounts) and picture; 404 otherwise. */
export async function loadPost(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  id: unknown,
): Promise<SocialPost> {
  authorize(ctx, "campaigns.manage");
  const { SocialPostTarget, SocialAccount, SocialMedia } = deps.models;
  return findInBusiness(ctx, deps.models.SocialPost, id, {
    include: [
      {
        model: SocialPostTarget,
        as: "targets",
        include: [{ model: SocialAccount, as: "account" }],
      },
      { model: SocialMedia, as: "media" },
    ],
    order: [[{ model: SocialPostTarget, as: "targets" }, "id", "ASC"]],
  });
}

/** One page of posts, newest first (keyset on id), with targets and accounts. */
export async function listPosts(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  filter: PostFilter,
  page: { limit: number; beforeId?: number },
): Promise<SocialPost[]> {
  authorize(ctx, "campaigns.manage");
  const { SocialPost, SocialPostTarget, SocialMedia } = deps.models;
  const where: Record<string | symbol, unknown> = {};
  if (filter.status) where.status = filter.status;
  if (page.beforeId) where.id = { [Op.lt]: page.beforeId };
  if (filter.accountId) {
    const ids = await SocialPostTarget.findAll({
      where: tenantWhere(ctx, SocialPostTarget, { socialAccountId: filter.accountId }),
      attributes: ["postId"],
    });
    where[Op.and] = [{ id: { [Op.in]: ids.map((t) => t.postId).concat(0) } }];
  }
  const posts = await SocialPost.findAll({
    where: tenantWhere(ctx, SocialPost, where),
    order: [["id", "DESC"]],
    limit: page.limit + 1,
    include: [{ model: SocialMedia, as: "media" }],
  });
  return withTargets(deps, ctx, posts);
}

/** Posts scheduled or published between two instants (the calendar's range). */
export async function postsBetween(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  from: Date,
  to: Date,
): Promise<SocialPost[]> {
  authorize(ctx, "campaigns.manage");
  const { SocialPost } = deps.models;
  const posts = await SocialPost.findAll({
    where: tenantWhere(ctx, SocialPost, {
      status: { [Op.ne]: "draft" },
      scheduledAt: { [Op.gte]: from, [Op.lt]: to },
    }),
    order: [
      ["scheduledAt", "ASC"],
      ["id", "ASC"],
    ],
    limit: 500,
  });
  return withTargets(deps, ctx, posts);
}

async function withTargets(deps: Pick<Deps, "models">, ctx: TenantContext, posts: SocialPost[]) {
  if (posts.length === 0) return posts;
  const { SocialPostTarget, SocialAccount } = deps.models;
  const targets = await SocialPostTarget.findAll({
    where: tenantWhere(ctx, SocialPostTarget, { postId: { [Op.in]: posts.map((p) => p.id) } }),
    include: [{ model: SocialAccount, as: "account" }],
    order: [["id", "ASC"]],
  });
  for (const post of posts) post.targets = targets.filter((t) => t.postId === post.id);
  return posts;
}

/** Whether the business has any post (the empty list says how to start). */
export async function hasPosts(deps: Pick<Deps, "models">, ctx: TenantContext): Promise<boolean> {
  return (
    (await deps.models.SocialPost.findOne({
      where: tenantWhere(ctx, deps.models.SocialPost),
      attributes: ["id"],
    })) !== null
  );
}

/** The business's connected accounts, by network and name. */
export function accountsOf(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<SocialAccount[]> {
  return deps.models.SocialAccount.findAll({
    where: tenantWhere(ctx, deps.models.SocialAccount),
    order: [
      ["network", "ASC"],
      ["displayName", "ASC"],
    ],
  });
}

/** Every publish attempt of a post's targets, newest first. */
export async function attemptsOf(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  post: SocialPost,
): Promise<SocialPublishAttempt[]> {
  const ids = (post.targets ?? []).map((t) => t.id);
  if (ids.length === 0) return [];
  return deps.models.SocialPublishAttempt.findAll({
    where: tenantWhere(ctx, deps.models.SocialPublishAttempt, { targetId: { [Op.in]: ids } }),
    order: [["id", "DESC"]],
    limit: 100,
  });
}

/** Names of the members who appear in an audit log. */
export async function memberNames(
  deps: Pick<Deps, "models">,
  ids: readonly (number | null)[],
): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const users = await deps.models.User.findAll({
    where: { id: { [Op.in]: wanted } },
    attributes: ["id", "name"],
  });
  return new Map(users.map((u) => [u.id, u.name]));
}
