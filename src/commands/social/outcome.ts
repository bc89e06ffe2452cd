import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { SocialAccount, SocialPost, SocialPostTarget } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { socialTargetSettled } from "../activityEvents";
import { recordAudit } from "./audit";
import { dispatchTargets } from "./dispatch";
import { networkLabels, type ExplainedFailure, type PublishResult } from "./networks";
import { refreshPostStatus } from "./status";

/** How one publish ended, as the target and its attempt row record it. */
export type Outcome =
  | { kind: "published"; result: PublishResult }
  | { kind: "retry"; failure: ExplainedFailure; at: Date }
  | { kind: "failed"; failure: ExplainedFailure }
  | { kind: "unknown"; error: string };

export const publishMessages = {
  unknownFix: (network: string) =>
    `Open ${network} and look for the post. If it is there, mark it as published; if not, publish it again.`,
  unknownMessage: (error: string) =>
    `The network's answer never arrived (${error}), so whether the post went out is unknown.`,
  timeout: "no answer within the time limit",
};

/**
 * Writes the outcome, conditional on the claim (the attempts it made; also when the sweep already
 * called it unknown — the real answer is better). Then the post's status and, for final outcomes,
 * the audit log; a retry's job is queued after the commit.
 */
export async function recordOutcome(
  deps: Deps,
  ctx: TenantContext,
  target: SocialPostTarget,
  post: SocialPost,
  account: SocialAccount,
  attemptId: number,
  outcome: Outcome,
  startedMs: number,
): Promise<void> {
  const {
    SocialPostTarget: Targets,
    SocialPublishAttempt: Attempts,
    SocialAccount: Accounts,
  } = deps.models;
  const now = deps.clock.now();
  const label = networkLabels[account.network];
  const fields = targetFields(outcome, now, label);
  const retry = await deps.sequelize.transaction(async (transaction) => {
    await Attempts.update(
      {
        finishedAt: now,
        durationMs: Math.round(performance.now() - startedMs),
        responseSummary: responseSummary(outcome),
        error: outcome.kind === "published" ? null : errorText(outcome).slice(0, 1000),
        outcome: outcome.kind,
      },
      { where: tenantWhere(ctx, Attempts, { id: attemptId }), transaction },
    );
    const [changed] = await Targets.update(
      { ...fields, updatedAt: now },
      {
        where: tenantWhere(ctx, Targets, {
          id: target.id,
          attempts: target.attempts,
          status: { [Op.in]: ["publishing", "unknown"] },
        }),
        transaction,
      },
    );
    if (changed !== 1) return null;
    if (outcome.kind === "failed" && outcome.failure.cause === "authentication")
      await Accounts.update(
        {
          status: "needs_reconnect",
          lastError: outcome.failure.message.slice(0, 1000),
          updatedAt: now,
        },
        { where: tenantWhere(ctx, Accounts, { id: account.id }), transaction },
      );
    await refreshPostStatus(deps, ctx, post.id, transaction);
    if (outcome.kind !== "retry")
      await recordAudit(
        deps,
        { businessId: ctx.business.id, userId: null },
        post.id,
        "publish",
        {
          account: `${label} ${account.displayName}`,
          target: target.id,
          status: fields.status,
          ...(fields.errorCause ? { cause: fields.errorCause } : {}),
        },
        transaction,
      );
    // The activity feed and live dashboards (published and failed only; it ignores the rest).
    const settled = { post, account, status: fields.status, cause: fields.errorCause };
    await socialTargetSettled(deps, ctx, settled, transaction);
    return outcome.kind === "retry" ? { ...target.get(), nextAttemptAt: outcome.at } : null;
  });
  if (retry) await dispatchTargets(deps, [retry]);
}

function targetFields(outcome: Outcome, now: Date, label: string) {
  const clear = { errorCause: null, errorMessage: null, errorFix: null };
  switch (outcome.kind) {
    case "published":
      return {
        ...clear,
        status: "published" as const,
        externalPostId: outcome.result.externalPostId,
        url: outcome.result.url ?? null,
        publishedAt: now,
        nextAttemptAt: null,
      };
    case "retry":
      return { ...explain(outcome.failure), status: "pending" as const, nextAttemptAt: outcome.at };
    case "failed":
      return { ...explain(outcome.failure), status: "failed" as const, nextAttemptAt: null };
    case "unknown":
      return {
        status: "unknown" as const,
        errorCause: "unknown",
        errorMessage: publishMessages.unknownMessage(outcome.error).slice(0, 1000),
        errorFix: publishMessages.unknownFix(label),
        nextAttemptAt: null,
      };
  }
}

function explain(failure: ExplainedFailure) {
  return {
    errorCause: failure.cause.slice(0, 40),
    errorMessage: failure.message.slice(0, 1000),
    errorFix: failure.fix.slice(0, 1000),
  };
}

function responseSummary(outcome: Outcome): string {
  if (outcome.kind === "published")
    return `Published as ${outcome.result.externalPostId}${outcome.result.url ? ` (${outcome.result.url})` : ""}`.slice(
      0,
      1000,
    );
  if (outcome.kind === "unknown") return "No answer";
  return `${outcome.failure.code}: ${outcome.failure.message}`.slice(0, 1000);
}

function errorText(outcome: Exclude<Outcome, { kind: "published" }>): string {
  if (outcome.kind === "unknown") return outcome.error;
  return `${outcome.failure.cause} (${outcome.failure.code}): ${outcome.failure.message}`;
}

/**
 * A target that fails before any call (pre-flight: the account needs reconnecting): an attempt
 * row saying it was not sent, the failure with its fix, the post's status and the audit entry.
 */
export async function settleWithoutCall(
  deps: Deps,
  ctx: TenantContext,
  target: SocialPostTarget,
  post: SocialPost,
  status: "failed",
  failure: { cause: string; message: string; fix: string },
): Promise<void> {
  const { SocialPostTarget: Targets, SocialPublishAttempt: Attempts } = deps.models;
  const now = deps.clock.now();
  await deps.sequelize.transaction(async (transaction) => {
    const [changed] = await Targets.update(
      {
        status,
        errorCause: failure.cause,
        errorMessage: failure.message,
        errorFix: failure.fix,
        nextAttemptAt: null,
        updatedAt: now,
      },
      {
        where: tenantWhere(ctx, Targets, {
          id: target.id,
          status: "pending",
          attempts: target.attempts,
        }),
        transaction,
      },
    );
    if (changed !== 1) return;
    await Attempts.create(
      {
        businessId: ctx.business.id,
        targetId: target.id,
        startedAt: now,
        finishedAt: now,
        durationMs: 0,
        requestSummary: "Not sent: the pre-flight check failed",
        error: failure.message,
        outcome: "failed",
      },
      { transaction },
    );
    await refreshPostStatus(deps, ctx, post.id, transaction);
    await recordAudit(
      deps,
      { businessId: ctx.business.id, userId: null },
      post.id,
      "publish",
      {
        target: target.id,
        status,
        cause: failure.cause,
      },
      transaction,
    );
    const settled = { post, accountId: target.socialAccountId, status, cause: failure.cause };
    await socialTargetSettled(deps, ctx, settled, transaction);
  });
}
