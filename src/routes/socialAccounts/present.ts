import type { AppError } from "../../errors";
import type { Config } from "../../config";
import { expiryWarningMs } from "../../integrations/social";
import { networkName } from "../../integrations/social/http";
import type { SocialAccount, SocialNetwork } from "../../models";
import { socialNetworks } from "../../models/SocialAccount";
import { oauthApp } from "../../commands/socialAccounts/apps";

const icons: Record<SocialNetwork, string> = {
  linkedin: "fa-brands fa-linkedin",
  facebook: "fa-brands fa-facebook",
  instagram: "fa-brands fa-instagram",
  x: "fa-brands fa-x-twitter",
};

const what: Record<SocialNetwork, string> = {
  linkedin: "Post as yourself on LinkedIn.",
  facebook: "Post to the Facebook Pages you manage.",
  instagram: "Post to Instagram business accounts linked to your Facebook Pages.",
  x: "Post on X as your account.",
};

/** A connected account as the page shows it: no token, sealed or not, ever leaves here. */
export function presentAccount(account: SocialAccount, now: Date, timeZone: string) {
  const expiresAt = account.tokenExpiresAt;
  const expiring =
    account.status === "connected" &&
    expiresAt !== null &&
    expiresAt.getTime() - now.getTime() < expiryWarningMs &&
    !account.refreshTokenSealed;
  return {
    id: account.id,
    network: account.network,
    networkName: networkName(account.network),
    icon: icons[account.network],
    displayName: account.displayName,
    connected: account.status === "connected",
    needsReconnect: account.status === "needs_reconnect",
    expiring,
    lastError: account.lastError,
    expires: expiresAt
      ? expiresAt.toLocaleString("en-IN", { timeZone, dateStyle: "medium", timeStyle: "short" })
      : null,
    renews: Boolean(account.refreshTokenSealed),
  };
}

/** One card per network: whether it can be connected here, and why not. */
export function presentNetworks(config: Config) {
  return socialNetworks.map((network) => {
    const configured = oauthApp(config, network) !== null;
    const prefix = network === "instagram" ? "FACEBOOK" : network.toUpperCase();
    return {
      network,
      name: networkName(network),
      icon: icons[network],
      what: what[network],
      configured,
      notConfigured: configured
        ? null
        : `Not set up on this server: the administrator needs to set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET.`,
    };
  });
}

/** An account read-only beyond the plan: what the badge says and where the upgrade is. */
export function lockView(lock: AppError | undefined): { message: string; href: string } | null {
  if (!lock) return null;
  const href = typeof lock.details?.plansUrl === "string" ? lock.details.plansUrl : "/pricing";
  return { message: lock.message, href };
}
