import { createHash, randomBytes } from "node:crypto";
import type { Config } from "../../config";
import type { SocialNetwork } from "../../models";

/**
 * Each network's OAuth 2.0 app, from the settings: where to send the person, where to exchange
 * the code, how the client authenticates there, the scopes publishing needs, and whether PKCE is
 * required (X). Instagram business accounts sign in through the Facebook app.
 */
export interface OAuthApp {
  network: SocialNetwork;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  /** How the scopes are joined in the authorize URL (Facebook takes commas). */
  scopeSeparator: " " | ",";
  /** X: S256 challenge on /authorize, verifier on the token request. */
  pkce: boolean;
  /** X's confidential clients send id:secret as HTTP Basic; the others in the form body. */
  clientAuth: "basic" | "body";
  /** Whether the network issues refresh tokens to this kind of app. */
  refreshable: boolean;
}

const scopes: Record<SocialNetwork, string[]> = {
  // OpenID for the member's id (userinfo), w_member_social to post as them.
  linkedin: ["openid", "profile", "w_member_social"],
  facebook: ["pages_show_list", "pages_read_engagement", "pages_manage_posts"],
  instagram: [
    "pages_show_list",
    "pages_read_engagement",
    "instagram_basic",
    "instagram_content_publish",
    "business_management",
  ],
  // offline.access for a refresh token (access tokens last 2 hours); media.write for images.
  x: ["tweet.read", "tweet.write", "users.read", "media.write", "offline.access"],
};

/** The app for a network, or null when its client id or secret is not set. */
export function oauthApp(config: Config, network: SocialNetwork): OAuthApp | null {
  const source = network === "instagram" ? "facebook" : network;
  const settings = {
    linkedin: [
      config.LINKEDIN_CLIENT_ID,
      config.LINKEDIN_CLIENT_SECRET,
      config.LINKEDIN_AUTH_URL,
      config.LINKEDIN_TOKEN_URL,
    ],
    facebook: [
      config.FACEBOOK_CLIENT_ID,
      config.FACEBOOK_CLIENT_SECRET,
      config.FACEBOOK_AUTH_URL,
      config.FACEBOOK_TOKEN_URL,
    ],
    x: [config.X_CLIENT_ID, config.X_CLIENT_SECRET, config.X_AUTH_URL, config.X_TOKEN_URL],
  }[source];
  const [clientId, clientSecret, authorizeUrl, tokenUrl] = settings;
  if (!clientId || !clientSecret || !authorizeUrl || !tokenUrl) return null;
  return {
    network,
    clientId,
    clientSecret,
    authorizeUrl,
    tokenUrl,
    scopes: scopes[network],
    scopeSeparator: source === "facebook" ? "," : " ",
    pkce: network === "x",
    clientAuth: network === "x" ? "basic" : "body",
    refreshable: network === "x" || network === "linkedin",
  };
}

/** Where each network sends the person back (register it with the network's app). */
export function callbackUrl(config: Config, network: SocialNetwork): string {
  return `${config.APP_URL.replace(/\/+$/, "")}/social/accounts/${network}/callback`;
}

/** A fresh state (CSRF for the callback) and, for PKCE, a verifier (RFC 7636: 43+ characters). */
export function newSecrets(): { state: string; verifier: string } {
  return {
    state: randomBytes(24).toString("base64url"),
    verifier: randomBytes(48).toString("base64url"),
  };
}

export function challengeOf(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** The network's consent page for this app, state and (X) PKCE challenge. */
export function authorizeUrl(
  config: Config,
  app: OAuthApp,
  state: string,
  verifier: string,
): string {
  const url = new URL(app.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", callbackUrl(config, app.network));
  url.searchParams.set("scope", app.scopes.join(app.scopeSeparator));
  url.searchParams.set("state", state);
  if (app.pkce) {
    url.searchParams.set("code_challenge", challengeOf(verifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  return url.toString();
}
