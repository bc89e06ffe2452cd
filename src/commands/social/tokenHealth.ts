import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { SocialAccount } from "../../models";
import { acrossBusinesses, businessScope, tenantWhere } from "../../tenancy/scope";
import { notify, type NotificationInput } from "../notifications";
import { networkLabels } from "./networks";

const dayMs = 24 * 60 * 60_000;
/** How far ahead scheduled posts are checked: warnings come at least a day before, usually a week. */
export const tokenWarningDays = 7;

export const tokenMessages = {
  cause: "authentication",
  reconnectMessage: (network: string, name: string) =>
    `${network} needs ${name} to be connected again: its sign-in expired or was withdrawn.`,
  expiredMessage: (network: string, name: string) =>
    `The ${network} sign-in of ${name} expired before this post was due.`,
  fix: "Open Social → Accounts, reconnect the account, then retry this post.",
  warningTitle: (network: string, name: string) =>
    `Reconnect ${network} ${name} before your scheduled post`,
  warningBody: (when: string) =>
    `Its sign-in runs out before a post scheduled for ${when}; the post will fail unless the account is reconnected.`,
};

/**
 * Whether an account can publish at `at`: connected, and its token valid then (or refreshable —
 * the accounts' refresh job renews those ahead of expiry).
 */
export function tokenFailsBy(
  account: Pick<SocialAccount, "status" | "tokenExpiresAt" | "refreshTokenSealed">,
  at: Date,
): boolean {
  if (account.status === "needs_reconnect") return true;
  if (!account.tokenExpiresAt || account.refreshTokenSealed) return false;
  return account.tokenExpiresAt.getTime() <= at.getTime();
}

/** The pre-flight check before a scheduled publish: the failure to record, or null to go ahead. */
export function preflight(account: SocialAccount, now: Date) {
  if (!tokenFailsBy(account, now)) return null;
  const network = networkLabels[account.network];
  return {
    cause: tokenMessages.cause,
    message:
      account.status === "needs_reconnect"
        ? tokenMessages.reconnectMessage(network, account.displayName)
        : tokenMessages.expiredMessage(network, account.displayName),
    fix: tokenMessages.fix,
  };
}

/**
 * Warns the author (the business owner for posts without one) of every post due within the next
 * week whose account's token will have run out by then: an in-app notification, once per post and
 * account (dedupe key), so the warning comes at least a day ahead of the failure. Runs from the
 * sweep; returns how many notifications were new.
 */
export async function warnExpiringTokens(
  deps: Pick<Deps, "models">,
  now: Date,
  formatWhen: (at: Date, timeZone: string) => string,
): Promise<number> {
  const {
    SocialPostTarget: Targets,
    SocialAccount: Accounts,
    SocialPost: Posts,
    Business,
  } = deps.models;
  const horizon = new Date(now.getTime() + tokenWarningDays * dayMs);
  const targets = await Targets.findAll({
    where: acrossBusinesses("the token check looks at every business's scheduled posts", {
      status: "pending",
      nextAttemptAt: { [Op.gt]: now, [Op.lte]: horizon },
    }),
    attributes: ["id", "businessId", "postId", "socialAccountId", "nextAttemptAt"],
    limit: 2000,
  });
  const inputs: NotificationInput[] = [];
  for (const target of targets) {
    const scope = businessScope(target.businessId);
    const account = await Accounts.findOne({
      where: tenantWhere(scope, Accounts, { id: target.socialAccountId }),
    });
    if (!account || !tokenFailsBy(account, target.nextAttemptAt!)) continue;
    const post = await Posts.findOne({
      where: tenantWhere(scope, Posts, { id: target.postId }),
      attributes: ["id", "authorUserId"],
    });
    const business = await Business.findByPk(target.businessId, {
      attributes: ["id", "ownerId", "timeZone"],
    });
    if (!post || !business) continue;
    const network = networkLabels[account.network];
    inputs.push({
      businessId: target.businessId,
      userId: post.authorUserId ?? business.ownerId,
      kind: "social.token_expiring",
      title: tokenMessages.warningTitle(network, account.displayName),
      body: tokenMessages.warningBody(formatWhen(target.nextAttemptAt!, business.timeZone)),
      link: `/social/posts/${post.id}`,
      dedupeKey: `social-token-${account.id}-post-${post.id}`,
    });
  }
  if (inputs.length === 0) return 0;
  return (await notify(deps.models, inputs)).length;
}
