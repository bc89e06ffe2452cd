import type { Config } from "../../config";
import { SocialError } from "../../integrations/social";
import { classifyGraph, classifyLinkedIn, classifyX } from "../../integrations/social/errors";
import { graphVersion } from "../../integrations/social/facebook";
import { callNetwork, field } from "../../integrations/social/http";
import type { SocialNetwork } from "../../models";
import type { OAuthApp } from "./apps";
import type { IssuedTokens } from "./tokenRequests";

/** An account the sign-in gave us the right to post as, with the token that posts. */
export interface FoundAccount {
  externalId: string;
  displayName: string;
  tokens: IssuedTokens;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Who the person signed in as, and what they can post to: LinkedIn and X post as the member;
 * Facebook posts as each Page they granted (with the Page's own token); Instagram as each business
 * account linked to those Pages (through the Page's token).
 */
export async function accountsFor(
  config: Config,
  app: OAuthApp,
  tokens: IssuedTokens,
): Promise<FoundAccount[]> {
  if (app.network === "linkedin") {
    const base = config.LINKEDIN_API_BASE_URL.replace(/\/+$/, "");
    const me = await callNetwork(
      "linkedin",
      `${base}/v2/userinfo`,
      { method: "GET", headers: bearer(tokens.accessToken) },
      classifyLinkedIn,
    );
    const sub = field(me.body, "sub");
    if (!sub) throw noAccount("linkedin", "LinkedIn did not say who signed in.");
    return [
      {
        externalId: `urn:li:person:${sub}`,
        displayName: field(me.body, "name") || "LinkedIn member",
        tokens,
      },
    ];
  }
  if (app.network === "x") {
    const base = config.X_API_BASE_URL.replace(/\/+$/, "");
    const me = await callNetwork(
      "x",
      `${base}/2/users/me`,
      { method: "GET", headers: bearer(tokens.accessToken) },
      classifyX,
    );
    const id = field(me.body, "data", "id");
    if (!id) throw noAccount("x", "X did not say who signed in.");
    const username = field(me.body, "data", "username");
    return [
      {
        externalId: id,
        displayName: username ? `@${username}` : field(me.body, "data", "name"),
        tokens,
      },
    ];
  }
  return pagesFor(config, app, app.network, tokens);
}

interface PageRow {
  id?: string;
  name?: string;
  access_token?: string;
  instagram_business_account?: { id?: string; username?: string };
}

async function pagesFor(
  config: Config,
  app: OAuthApp,
  network: "facebook" | "instagram",
  tokens: IssuedTokens,
): Promise<FoundAccount[]> {
  const base = `${config.FACEBOOK_API_BASE_URL.replace(/\/+$/, "")}/${graphVersion}`;
  const classify = classifyGraph.bind(null, network);
  // The code gives a short-lived user token (about 2 hours); Page tokens read with a long-lived
  // one (60 days) do not expire, so the exchange comes first.
  const exchange = new URLSearchParams({
    grant_type: "fb_exchange_token",
    client_id: app.clientId,
    client_secret: app.clientSecret,
    fb_exchange_token: tokens.accessToken,
  });
  const long = await callNetwork(
    network,
    `${base}/oauth/access_token?${exchange.toString()}`,
    { method: "GET" },
    classify,
  );
  const userToken = field(long.body, "access_token") || tokens.accessToken;
  const fields = "id,name,access_token,instagram_business_account{id,username}";
  const answer = await callNetwork(
    network,
    `${base}/me/accounts?fields=${encodeURIComponent(fields)}&limit=100`,
    { method: "GET", headers: bearer(userToken) },
    classify,
  );
  const pages = ((answer.body as { data?: PageRow[] } | null)?.data ?? []).filter(
    (page) => page.id && page.access_token,
  );
  const pageTokens = (page: PageRow): IssuedTokens => ({
    accessToken: page.access_token as string,
    refreshToken: null,
    expiresIn: null,
    scopes: tokens.scopes,
  });
  if (network === "facebook") {
    if (pages.length === 0)
      throw noAccount("facebook", "No Facebook Page was shared. Connect again and choose a Page.");
    return pages.map((page) => ({
      externalId: page.id as string,
      displayName: page.name ?? "Facebook Page",
      tokens: pageTokens(page),
    }));
  }
  const linked = pages.filter((page) => page.instagram_business_account?.id);
  if (linked.length === 0)
    throw noAccount(
      "instagram",
      "None of the shared Facebook Pages has an Instagram business account linked. Link one in Instagram's settings, then connect again.",
    );
  return linked.map((page) => {
    const ig = page.instagram_business_account as { id: string; username?: string };
    return {
      externalId: ig.id,
      displayName: ig.username ? `@${ig.username}` : (page.name ?? "Instagram account"),
      tokens: pageTokens(page),
    };
  });
}

function noAccount(network: SocialNetwork, message: string): SocialError {
  return new SocialError({
    network,
    cause: "authentication",
    retryable: false,
    code: "no_account",
    message,
    fix: message,
  });
}
