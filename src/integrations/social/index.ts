import type { Config } from "../../config";
import { facebookClient } from "./facebook";
import { instagramClient } from "./instagram";
import { linkedInClient } from "./linkedin";
import {
  SocialError,
  type AccountCheck,
  type AccountCredentials,
  type NetworkClient,
  type SocialNetwork,
} from "./types";
import { xClient } from "./x";

export { SocialError } from "./types";
export type {
  AccountCheck,
  AccountCredentials,
  NetworkClient,
  PublishImage,
  PublishInput,
  PublishResult,
  SocialErrorCause,
  SocialErrorJson,
} from "./types";

/** The client of one network, configured from the settings (base URLs, LinkedIn's version). */
export function socialClient(config: Config, network: SocialNetwork): NetworkClient {
  switch (network) {
    case "linkedin":
      return linkedInClient(config);
    case "facebook":
      return facebookClient(config);
    case "instagram":
      return instagramClient(config);
    case "x":
      return xClient(config);
  }
}

/** A day: the pre-flight check warns when a token expires sooner than this. */
export const expiryWarningMs = 24 * 3600 * 1000;

/**
 * The pre-flight check before a scheduled post: the token's expiry against `now` (expired, or
 * expiring within `warnWithinMs`), then one cheap authenticated read from the network, which
 * catches a token the person revoked. Never throws: the answer says what to do.
 */
export async function checkAccount(
  client: NetworkClient,
  account: AccountCredentials,
  now: Date,
  warnWithinMs = expiryWarningMs,
): Promise<AccountCheck> {
  const expiresAt = account.tokenExpiresAt;
  const name = { linkedin: "LinkedIn", facebook: "Facebook", instagram: "Instagram", x: "X" }[
    account.network
  ];
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    return {
      state: "expired",
      expiresAt,
      message: `The ${name} connection expired.`,
      fix: `Reconnect the ${name} account on Social accounts.`,
    };
  try {
    await client.verify(account);
  } catch (error) {
    if (!(error instanceof SocialError)) throw error;
    const refused = error.cause === "authentication";
    return {
      state: refused ? "unauthorized" : "unreachable",
      expiresAt,
      message: error.message,
      fix: error.fix,
    };
  }
  if (expiresAt && expiresAt.getTime() - now.getTime() < warnWithinMs)
    return {
      state: "expiring",
      expiresAt,
      message: `The ${name} connection expires at ${expiresAt.toISOString()}.`,
      fix: `Reconnect the ${name} account before then.`,
    };
  return { state: "ok", expiresAt, message: "Connected.", fix: null };
}
