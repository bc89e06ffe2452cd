import type { Deps } from "../../deps";
import {
  checkAccount,
  socialClient,
  SocialError,
  type AccountCheck,
  type PublishInput,
  type PublishResult,
} from "../../integrations/social";
import type { SocialAccount } from "../../models";
import type { Scoped } from "../../tenancy/scope";
import { scopeOf } from "../../tenancy/scope";
import { freshCredentials, markNeedsReconnect } from "./tokens";

/**
 * Publishing through an account, for the publisher (H5's commands/social): the token refreshed if
 * it is about to expire, the network's client called, and an authentication refusal (401, a
 * revoked token) marks the account "needs reconnecting" before the SocialError goes on up.
 */
export async function publishWithAccount(
  deps: Deps,
  scoped: Scoped,
  account: SocialAccount,
  input: PublishInput,
): Promise<PublishResult> {
  assertSameBusiness(scoped, account);
  const credentials = await freshCredentials(deps, account);
  try {
    return await socialClient(deps.config, account.network).publish(credentials, input);
  } catch (error) {
    if (error instanceof SocialError && error.cause === "authentication")
      await markNeedsReconnect(deps, account, `${error.message} ${error.fix}`);
    throw error;
  }
}

/**
 * The pre-flight check before a scheduled post (and the page's "Check" button): refreshes a token
 * that is due, then checks expiry and asks the network; a refusal marks the account.
 */
export async function preflight(
  deps: Deps,
  scoped: Scoped,
  account: SocialAccount,
): Promise<AccountCheck> {
  assertSameBusiness(scoped, account);
  let credentials;
  try {
    credentials = await freshCredentials(deps, account);
  } catch (error) {
    if (!(error instanceof SocialError)) throw error;
    return {
      state: "unauthorized",
      expiresAt: account.tokenExpiresAt,
      message: error.message,
      fix: error.fix,
    };
  }
  const result = await checkAccount(
    socialClient(deps.config, account.network),
    credentials,
    deps.clock.now(),
  );
  if (result.state === "unauthorized" || result.state === "expired")
    await markNeedsReconnect(deps, account, `${result.message} ${result.fix ?? ""}`.trim());
  return result;
}

function assertSameBusiness(scoped: Scoped, account: SocialAccount): void {
  // The account was loaded through the tenant scope; this guards a caller mixing two businesses.
  if (account.businessId !== scopeOf(scoped).businessId)
    throw new Error("social account used outside its business");
}
