import { Op, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { SocialTargetPayload } from "../../jobs/catalog";
import { JobDeferred } from "../../jobs/queue";
import type { SocialAccount, SocialPost, SocialPostTarget } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { featureLock } from "../../plans/planGate";
import { accountLocks } from "../socialAccounts/accounts";
import { dispatchTargets } from "./dispatch";
import {
  instagramDailyLimit,
  isExplainedFailure,
  networkLabels,
  publisherFor,
  type PublishInput,
} from "./networks";
import { publishMessages, recordOutcome, settleWithoutCall, type Outcome } from "./outcome";
import { preflight } from "./tokenHealth";
import { refreshPostStatus } from "./status";

const dayMs = 24 * 60 * 60_000;

/**
 * One publish of one target, as its job runs it. Ends quietly when the job is older than the row
 * (its due time or attempts moved on) or the target is no longer pending; waits (JobDeferred) when
 * it fired early. Then: pre-flight (token health), Instagram's 24-hour cap (deferred, not failed),
 * and the crash-safe sequence — claim pending → publishing and write an open attempt row in one
 * transaction, call the network, record the outcome. A worker killed after the claim leaves the
 * attempt open; the sweep marks the target 'unknown' rather than sending it again.
 */
export async function publishTarget(
  deps: Deps,
  ctx: TenantContext,
  payload: SocialTargetPayload,
): Promise<void> {
  const { SocialPostTarget: Targets, SocialPost: Posts, SocialAccount: Accounts } = deps.models;
  const target = await Targets.findOne({
    where: tenantWhere(ctx, Targets, { id: payload.targetId }),
  });
  if (!target || target.status !== "pending" || !target.nextAttemptAt) return;
  if (target.attempts !== payload.attempts || target.nextAttemptAt.getTime() !== payload.dueAt)
    return;
  const now = deps.clock.now();
  if (target.nextAttemptAt.getTime() > now.getTime()) throw new JobDeferred(target.nextAttemptAt);
  const post = await Posts.findOne({ where: tenantWhere(ctx, Posts, { id: target.postId }) });
  const account = await Accounts.findOne({
    where: tenantWhere(ctx, Accounts, { id: target.socialAccountId }),
  });
  if (!post || post.status === "draft" || !account) return;

  const refusal = preflight(account, now) ?? (await planRefusal(deps, ctx, account));
  if (refusal) {
    await settleWithoutCall(deps, ctx, target, post, "failed", refusal);
    return;
  }
  const claimed = await claim(deps, ctx, target, account, post);
  if (claimed.kind === "deferred") {
    await dispatchTargets(deps, [claimed.target]);
    return;
  }
  if (claimed.kind === "lost") return;

  const input = await publishInput(deps, ctx, target, post);
  const started = performance.now();
  const outcome = await callNetwork(deps, ctx, target, account, input);
  await recordOutcome(deps, ctx, target, post, account, claimed.attemptId, outcome, started);
}

/**
 * The plan gate at publish time. A plan without the social publisher (a downgrade below Gold)
 * publishes nothing; an account beyond the plan's limit is read-only. Either way the due post
 * fails, nothing sent, with the gate's words and the way out (upgrade; or disconnect an earlier
 * account).
 */
async function planRefusal(deps: Deps, ctx: TenantContext, account: SocialAccount) {
  const feature = featureLock(ctx.plan, "social");
  if (feature)
    return {
      cause: "limit",
      message: feature.message,
      fix: `Upgrade the plan (${feature.href}), then retry the post.`,
    };
  const lock = (await accountLocks(deps, ctx)).get(account.id);
  if (!lock) return null;
  const plans = typeof lock.details?.plansUrl === "string" ? lock.details.plansUrl : "/pricing";
  return {
    cause: "limit",
    message: lock.message,
    fix: `Upgrade the plan (${plans}) or disconnect an account connected before this one, then retry the post.`,
  };
}

/** The text (the target's variant, else the post's) and the picture of the library. */
async function publishInput(
  deps: Deps,
  ctx: TenantContext,
  target: SocialPostTarget,
  post: SocialPost,
): Promise<PublishInput> {
  const text = target.variantText?.trim() || post.text;
  if (!post.mediaId) return { text };
  const media = await deps.models.SocialMedia.findOne({
    where: tenantWhere(ctx, deps.models.SocialMedia, { id: post.mediaId }),
  });
  return media ? { text, media } : { text };
}

type Claim =
  | { kind: "claimed"; attemptId: number }
  | { kind: "deferred"; target: SocialPostTarget }
  | { kind: "lost" };

/**
 * pending → publishing (only if still pending with the attempts the job saw: a second job for the
 * same target loses here) and an open attempt row, in one transaction, before any network call.
 * Instagram: the account's row is locked while its published posts of the last 24 hours are
 * counted, so two workers cannot both take the 50th place; at the cap the target is deferred to
 * when the oldest of them leaves the window.
 */
async function claim(
  deps: Deps,
  ctx: TenantContext,
  target: SocialPostTarget,
  account: SocialAccount,
  post: SocialPost,
): Promise<Claim> {
  const { SocialPostTarget: Targets, SocialPublishAttempt: Attempts } = deps.models;
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction): Promise<Claim> => {
    if (account.network === "instagram") {
      const until = await instagramRoom(deps, ctx, account, now, transaction);
      if (until) {
        const [moved] = await Targets.update(
          { nextAttemptAt: until, updatedAt: now },
          {
            where: tenantWhere(ctx, Targets, {
              id: target.id,
              status: "pending",
              attempts: target.attempts,
            }),
            transaction,
          },
        );
        if (moved !== 1) return { kind: "lost" };
        await Attempts.create(
          {
            businessId: ctx.business.id,
            targetId: target.id,
            startedAt: now,
            finishedAt: now,
            durationMs: 0,
            requestSummary: `Not sent: ${instagramDailyLimit} posts in the last 24 hours on this account`,
            responseSummary: `Deferred to ${until.toISOString()}`,
            outcome: "deferred",
          },
          { transaction },
        );
        target.nextAttemptAt = until;
        return { kind: "deferred", target };
      }
    }
    const [changed] = await Targets.update(
      { status: "publishing", attempts: target.attempts + 1, updatedAt: now },
      {
        where: tenantWhere(ctx, Targets, {
          id: target.id,
          status: "pending",
          attempts: target.attempts,
        }),
        transaction,
      },
    );
    if (changed !== 1) return { kind: "lost" };
    const attempt = await Attempts.create(
      {
        businessId: ctx.business.id,
        targetId: target.id,
        startedAt: now,
        requestSummary: requestSummary(account, target, post),
        outcome: "open",
      },
      { transaction },
    );
    await refreshPostStatus(deps, ctx, post.id, transaction);
    target.attempts += 1;
    return { kind: "claimed", attemptId: attempt.id };
  });
}

/** When the account has room again, or null when it has room now. */
async function instagramRoom(
  deps: Deps,
  ctx: TenantContext,
  account: SocialAccount,
  now: Date,
  transaction: Transaction,
): Promise<Date | null> {
  const { SocialAccount: Accounts, SocialPostTarget: Targets } = deps.models;
  await Accounts.findOne({
    where: tenantWhere(ctx, Accounts, { id: account.id }),
    attributes: ["id"],
    lock: transaction.LOCK.UPDATE,
    transaction,
  });
  const since = new Date(now.getTime() - dayMs);
  const recent = await Targets.findAll({
    where: tenantWhere(ctx, Targets, {
      socialAccountId: account.id,
      [Op.or]: [
        { status: "published", publishedAt: { [Op.gt]: since } },
        { status: { [Op.in]: ["publishing", "unknown"] }, updatedAt: { [Op.gt]: since } },
      ],
    }),
    attributes: ["publishedAt", "updatedAt"],
    order: [["publishedAt", "ASC"]],
    transaction,
  });
  if (recent.length < instagramDailyLimit) return null;
  const times = recent.map((t) => (t.publishedAt ?? t.updatedAt).getTime()).sort((a, b) => a - b);
  // The oldest leaves the window a day after it went out; one second's margin.
  return new Date(times[recent.length - instagramDailyLimit]! + dayMs + 1000);
}

function requestSummary(
  account: SocialAccount,
  target: SocialPostTarget,
  post: SocialPost,
): string {
  const text = target.variantText?.trim() || post.text;
  const media = post.mediaId ? `, media #${post.mediaId}` : "";
  return `${networkLabels[account.network]} ${account.displayName}: ${[...text].length} characters${media}`.slice(
    0,
    1000,
  );
}

/** The network call, bounded by SOCIAL_PUBLISH_TIMEOUT_MS: no answer in time is 'unknown'. */
async function callNetwork(
  deps: Deps,
  ctx: TenantContext,
  target: SocialPostTarget,
  account: SocialAccount,
  input: PublishInput,
): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), deps.config.SOCIAL_PUBLISH_TIMEOUT_MS);
  });
  const call = publisherFor(deps, account.network)(account, input);
  call.catch(() => undefined);
  try {
    const result = await Promise.race([call, timeout]);
    if (result === "timeout") return { kind: "unknown", error: publishMessages.timeout };
    return { kind: "published", result };
  } catch (error) {
    if (!isExplainedFailure(error))
      return { kind: "unknown", error: error instanceof Error ? error.message : String(error) };
    if (error.retryable) {
      const at = await retryTime(deps, ctx, target);
      if (at) return { kind: "retry", failure: error, at };
    }
    return { kind: "failed", failure: error };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The next try's time after a passing failure, or null when this round of tries is used up. A round
 * starts with the schedule or a person's retry: attempts after the last one that ended the round.
 */
async function retryTime(
  deps: Deps,
  ctx: TenantContext,
  target: SocialPostTarget,
): Promise<Date | null> {
  const { SocialPublishAttempt: Attempts } = deps.models;
  const lastEnd = await Attempts.max<number, typeof Attempts.prototype>("id", {
    where: tenantWhere(ctx, Attempts, {
      targetId: target.id,
      outcome: { [Op.in]: ["failed", "unknown", "published"] },
    }),
  });
  const tries = await Attempts.count({
    where: tenantWhere(ctx, Attempts, {
      targetId: target.id,
      outcome: { [Op.in]: ["open", "retry"] },
      ...(lastEnd ? { id: { [Op.gt]: lastEnd } } : {}),
    }),
  });
  if (tries >= deps.config.SOCIAL_PUBLISH_ATTEMPTS) return null;
  const wait = deps.config.SOCIAL_RETRY_BASE_MS * 2 ** Math.max(0, tries - 1);
  return new Date(deps.clock.nowMs() + wait);
}
