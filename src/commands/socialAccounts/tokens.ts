import type { Deps } from "../../deps";
import { SocialError, type AccountCredentials } from "../../integrations/social";
import { openSecret, sealSecret } from "../../lib/secretBox";
import type { SocialAccount } from "../../models";
import { oauthApp } from "./apps";
import { refreshTokens, type IssuedTokens } from "./tokenRequests";

/**
 * Tokens at rest are sealed (AES-256-GCM, SECRETS_KEY); this is the one place that opens them, and
 * the one place that marks an account as needing a reconnect.
 */
export function credentialsOf(
  deps: Pick<Deps, "config">,
  account: SocialAccount,
): AccountCredentials {
  return {
    network: account.network,
    externalId: account.externalId,
    accessToken: openSecret(deps.config.secretsKey, account.accessTokenSealed),
    tokenExpiresAt: account.tokenExpiresAt,
  };
}

/** The sealed columns (and expiry) for freshly issued tokens. */
export function sealedTokens(
  deps: Pick<Deps, "config">,
  tokens: IssuedTokens,
  now: Date,
  keepRefresh: string | null = null,
) {
  const key = deps.config.secretsKey;
  return {
    accessTokenSealed: sealSecret(key, tokens.accessToken),
    refreshTokenSealed: tokens.refreshToken ? sealSecret(key, tokens.refreshToken) : keepRefresh,
    tokenExpiresAt: tokens.expiresIn ? new Date(now.getTime() + tokens.expiresIn * 1000) : null,
  };
}

/** The network refused the token: the account shows "Reconnect" and posts fail with that reason. */
export async function markNeedsReconnect(
  deps: Pick<Deps, "clock">,
  account: SocialAccount,
  reason: string,
): Promise<void> {
  if (account.status === "disconnected") return;
  account.status = "needs_reconnect";
  account.lastError = reason.slice(0, 1000);
  account.updatedAt = deps.clock.now();
  await account.save({ fields: ["status", "lastError", "updatedAt"] });
}

export type RefreshOutcome = "refreshed" | "not_due" | "not_refreshable" | "needs_reconnect";

/**
 * Refreshes the account's token when it expires within SOCIAL_TOKEN_REFRESH_AHEAD_MINUTES (or
 * always, with `force`). A refused refresh marks the account; an outage throws (retried later).
 */
export async function refreshIfDue(
  deps: Pick<Deps, "config" | "clock">,
  account: SocialAccount,
  options: { force?: boolean } = {},
): Promise<RefreshOutcome> {
  if (account.status !== "connected") return "not_refreshable";
  const now = deps.clock.now();
  const aheadMs = deps.config.SOCIAL_TOKEN_REFRESH_AHEAD_MINUTES * 60_000;
  const expiresAt = account.tokenExpiresAt;
  if (!options.force && (!expiresAt || expiresAt.getTime() - now.getTime() > aheadMs))
    return "not_due";
  const app = oauthApp(deps.config, account.network);
  if (!app?.refreshable || !account.refreshTokenSealed) {
    // Past its expiry with no way to renew it: say so now rather than at the next post.
    if (expiresAt && expiresAt.getTime() <= now.getTime()) {
      await markNeedsReconnect(deps, account, "The connection expired. Reconnect the account.");
      return "needs_reconnect";
    }
    return "not_refreshable";
  }
  const sealedRefresh = account.refreshTokenSealed;
  let issued: IssuedTokens;
  try {
    issued = await refreshTokens(app, openSecret(deps.config.secretsKey, sealedRefresh));
  } catch (error) {
    if (!(error instanceof SocialError) || error.retryable) throw error;
    // X rotates refresh tokens: if another process refreshed first, ours is spent, not revoked.
    await account.reload();
    if (account.refreshTokenSealed !== sealedRefresh) return "refreshed";
    await markNeedsReconnect(deps, account, `${error.message} ${error.fix}`);
    return "needs_reconnect";
  }
  Object.assign(account, sealedTokens(deps, issued, now, sealedRefresh), {
    lastError: null,
    updatedAt: now,
  });
  await account.save();
  return "refreshed";
}

/**
 * Credentials to publish with: refreshed first when the token is about to expire. An account that
 * needs reconnecting — before, or because the network just refused the refresh — fails at once
 * with the fix, without calling the network.
 */
export async function freshCredentials(
  deps: Pick<Deps, "config" | "clock">,
  account: SocialAccount,
): Promise<AccountCredentials> {
  if (account.status === "connected" && (await refreshIfDue(deps, account)) !== "needs_reconnect")
    return credentialsOf(deps, account);
  throw new SocialError({
    network: account.network,
    cause: "authentication",
    retryable: false,
    code: account.status,
    message:
      account.status === "disconnected"
        ? "The account was disconnected."
        : (account.lastError ?? "The account needs reconnecting."),
    fix: "Reconnect the account on Social accounts, then retry the post.",
  });
}
