import { Op, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { SocialPost, SocialPostTarget } from "../../models";
import { signalDashboard } from "../../notifications/live";
import { accountLocks } from "../socialAccounts/accounts";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { actorOf, diff, recordAudit } from "./audit";
import { dispatchTargets } from "./dispatch";
import { accountsFor, checkPost, mediaFor, type PostInput, type PostIntent } from "./validate";

export const postWriteMessages = {
  locked: "This post has started publishing, so it can no longer be edited. Duplicate it instead.",
  busy: "This post is being published right now. Wait until it finishes, then try again.",
};

/** The post's fields as the audit log records them. */
function auditView(post: SocialPost, targets: readonly SocialPostTarget[]) {
  return {
    text: post.text,
    status: post.status,
    scheduledAt: post.scheduledAt?.toISOString() ?? null,
    mediaId: post.mediaId,
    templateId: post.templateId,
    accounts: targets.map((t) => t.socialAccountId).sort((a, b) => a - b),
    variants: Object.fromEntries(
      targets.filter((t) => t.variantText).map((t) => [t.socialAccountId, t.variantText]),
    ),
  };
}

async function targetsOf(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  postId: number,
  transaction?: Transaction,
) {
  return deps.models.SocialPostTarget.findAll({
    where: tenantWhere(ctx, deps.models.SocialPostTarget, { postId }),
    order: [["id", "ASC"]],
    transaction,
  });
}

/** When each target is due under `intent` (null keeps a draft's targets idle). */
function dueTime(intent: PostIntent, now: Date): Date | null {
  if (intent.kind === "draft") return null;
  return intent.kind === "now" ? now : intent.at;
}

/**
 * Writes the post's targets to match `input`: one per chosen account with its variant, each
 * pending and due at `due` (accounts no longer chosen are removed).
 */
async function writeTargets(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  post: SocialPost,
  input: PostInput,
  due: Date | null,
  transaction: Transaction,
): Promise<void> {
  const { SocialPostTarget } = deps.models;
  const wanted = [...new Set(input.accountIds)];
  await SocialPostTarget.destroy({
    where: tenantWhere(ctx, SocialPostTarget, {
      postId: post.id,
      socialAccountId: { [Op.notIn]: wanted.length ? wanted : [0] },
    }),
    transaction,
  });
  const existing = new Map(
    (await targetsOf(deps, ctx, post.id, transaction)).map((t) => [t.socialAccountId, t]),
  );
  const now = deps.clock.now();
  for (const accountId of wanted) {
    const variantText = input.variants[accountId]?.trim() || null;
    const target = existing.get(accountId);
    if (target)
      await target.update({ variantText, nextAttemptAt: due, updatedAt: now }, { transaction });
    else
      await SocialPostTarget.create(
        {
          businessId: ctx.business.id,
          postId: post.id,
          socialAccountId: accountId,
          variantText,
          status: "pending",
          nextAttemptAt: due,
          createdAt: now,
          updatedAt: now,
        },
        { transaction },
      );
  }
}

/**
 * Accounts beyond the plan's limit (after a downgrade) are read-only: a draft may name them, but
 * nothing is scheduled, moved, retried or published through them — the plan gate's 402, beside
 * the accounts field on the form.
 */
export async function assertAccountsWithinPlan(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  accountIds: readonly number[],
  transaction?: Transaction,
): Promise<void> {
  const locks = await accountLocks(deps, ctx, transaction);
  const lock = accountIds.map((id) => locks.get(id)).find((l) => l !== undefined);
  if (lock)
    throw new AppError("plan_limit", lock.message, { ...lock.details, field: "accountIds" });
}

const statusFor = (intent: PostIntent) => (intent.kind === "draft" ? "draft" : "scheduled");

/** What creating and editing share: permission, the chosen accounts and picture, checked. */
async function preparePost(deps: Deps, ctx: TenantContext, input: PostInput, intent: PostIntent) {
  authorize(ctx, "campaigns.manage");
  const now = deps.clock.now();
  const accounts = await accountsFor(deps, ctx, input.accountIds);
  const media = await mediaFor(deps, ctx, input.mediaId);
  checkPost(input, accounts, media, intent, now);
  if (intent.kind !== "draft")
    await assertAccountsWithinPlan(
      deps,
      ctx,
      accounts.map((a) => a.id),
    );
  const due = dueTime(intent, now);
  const audit = { businessId: ctx.business.id, userId: actorOf(ctx) };
  return { now, accounts, media, due, audit };
}

/**
 * Creates a post: a draft, or scheduled (publish now is scheduled at the present instant). The
 * audit log gets a create entry, and a schedule or publish entry; the targets' jobs are queued
 * after the commit.
 */
export async function createPost(
  deps: Deps,
  ctx: TenantContext,
  input: PostInput,
  intent: PostIntent,
): Promise<SocialPost> {
  const { now, media, due, audit } = await preparePost(deps, ctx, input, intent);
  const { post, targets } = await deps.sequelize.transaction(async (transaction) => {
    const post = await deps.models.SocialPost.create(
      {
        businessId: ctx.business.id,
        authorUserId: actorOf(ctx),
        text: input.text.trim(),
        status: statusFor(intent),
        scheduledAt: due,
        templateId: input.templateId,
        mediaId: media?.id ?? null,
        createdAt: now,
        updatedAt: now,
      },
      { transaction },
    );
    await writeTargets(deps, ctx, post, input, due, transaction);
    const targets = await targetsOf(deps, ctx, post.id, transaction);
    await recordAudit(deps, audit, post.id, "create", auditView(post, targets), transaction);
    if (intent.kind !== "draft")
      await recordAudit(
        deps,
        audit,
        post.id,
        intent.kind === "now" ? "publish" : "schedule",
        {
          scheduledAt: due?.toISOString(),
        },
        transaction,
      );
    return { post, targets };
  });
  if (intent.kind !== "draft") {
    await dispatchTargets(deps, targets);
    await signalDashboard(ctx.business.id, ["social"]);
  }
  return post;
}

/** Whether a post may still change: nothing of it has started publishing. */
export function editable(post: SocialPost): boolean {
  return post.status === "draft" || post.status === "scheduled";
}

/**
 * Changes a draft or scheduled post (text, accounts, variants, picture, time). A post that has
 * started publishing is refused (409): its targets are on their way. Audited as an edit with
 * what changed, plus a schedule or publish entry when its time was set.
 */
export async function updatePost(
  deps: Deps,
  ctx: TenantContext,
  post: SocialPost,
  input: PostInput,
  intent: PostIntent,
): Promise<SocialPost> {
  const { now, media, due, audit } = await preparePost(deps, ctx, input, intent);
  const targets = await deps.sequelize.transaction(async (transaction) => {
    const fresh = await deps.models.SocialPost.findOne({
      where: tenantWhere(ctx, deps.models.SocialPost, { id: post.id }),
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    if (!fresh) throw AppError.notFound();
    const started = await deps.models.SocialPostTarget.count({
      where: tenantWhere(ctx, deps.models.SocialPostTarget, {
        postId: post.id,
        [Op.or]: [{ status: { [Op.ne]: "pending" } }, { attempts: { [Op.gt]: 0 } }],
      }),
      transaction,
    });
    if (!editable(fresh) || started > 0) throw new AppError("conflict", postWriteMessages.locked);
    const before = auditView(fresh, await targetsOf(deps, ctx, post.id, transaction));
    await fresh.update(
      {
        text: input.text.trim(),
        status: statusFor(intent),
        scheduledAt: due,
        mediaId: media?.id ?? null,
        templateId: input.templateId ?? fresh.templateId,
        updatedAt: now,
      },
      { transaction },
    );
    await writeTargets(deps, ctx, fresh, input, due, transaction);
    const targets = await targetsOf(deps, ctx, post.id, transaction);
    const changes = diff(before, auditView(fresh, targets));
    if (Object.keys(changes).length)
      await recordAudit(deps, audit, post.id, "edit", changes, transaction);
    if (intent.kind !== "draft")
      await recordAudit(
        deps,
        audit,
        post.id,
        intent.kind === "now" ? "publish" : "schedule",
        {
          scheduledAt: due?.toISOString(),
        },
        transaction,
      );
    post.set(fresh.get());
    return targets;
  });
  if (intent.kind !== "draft") await dispatchTargets(deps, targets);
  // Scheduled, rescheduled or taken back to a draft: the dashboard's social card counts them.
  await signalDashboard(ctx.business.id, ["social"]);
  return post;
}

/**
 * Deletes a post and its targets (what a network already shows stays there). Refused while a
 * target is being published. The audit log keeps a delete entry with the post's last content.
 */
export async function deletePost(deps: Deps, ctx: TenantContext, post: SocialPost): Promise<void> {
  authorize(ctx, "campaigns.manage");
  const audit = { businessId: ctx.business.id, userId: actorOf(ctx) };
  await deps.sequelize.transaction(async (transaction) => {
    const targets = await targetsOf(deps, ctx, post.id, transaction);
    if (targets.some((t) => t.status === "publishing"))
      throw new AppError("conflict", postWriteMessages.busy);
    await recordAudit(deps, audit, post.id, "delete", auditView(post, targets), transaction);
    await deps.models.SocialPublishAttempt.destroy({
      where: tenantWhere(ctx, deps.models.SocialPublishAttempt, {
        targetId: { [Op.in]: targets.map((t) => t.id).concat(0) },
      }),
      transaction,
    });
    await deps.models.SocialPostTarget.destroy({
      where: tenantWhere(ctx, deps.models.SocialPostTarget, { postId: post.id }),
      transaction,
    });
    await deps.models.SocialPost.destroy({
      where: tenantWhere(ctx, deps.models.SocialPost, { id: post.id }),
      transaction,
    });
  });
  await signalDashboard(ctx.business.id, ["social"]);
}

/** A new draft with the post's text, accounts, variants and picture. */
export async function duplicatePost(
  deps: Deps,
  ctx: TenantContext,
  post: SocialPost,
): Promise<SocialPost> {
  const targets = await targetsOf(deps, ctx, post.id);
  const input: PostInput = {
    text: post.text,
    accountIds: targets.map((t) => t.socialAccountId),
    variants: Object.fromEntries(targets.map((t) => [t.socialAccountId, t.variantText ?? ""])),
    mediaId: post.mediaId,
    templateId: post.templateId,
  };
  return createPost(deps, ctx, input, { kind: "draft" });
}
