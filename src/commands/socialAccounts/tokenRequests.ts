import type { Config } from "../../config";
import { SocialError } from "../../integrations/social";
import { networkName } from "../../integrations/social/http";
import { callbackUrl, type OAuthApp } from "./apps";

/** A token endpoint's answer, reduced to what an account keeps. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Seconds; null when the network gave no lifetime. */
  expiresIn: number | null;
  scopes: string;
}

/** The authorization code (and X's PKCE verifier) exchanged for tokens. */
export function exchangeCode(
  config: Config,
  app: OAuthApp,
  code: string,
  verifier: string,
): Promise<IssuedTokens> {
  return tokenRequest(app, {
    grant_type: "authorization_code",
    code,
    redirect_uri: callbackUrl(config, app.network),
    ...(app.pkce ? { code_verifier: verifier } : {}),
  });
}

/** A refresh token exchanged for a new access token (and, on X, a new refresh token). */
export function refreshTokens(app: OAuthApp, refreshToken: string): Promise<IssuedTokens> {
  return tokenRequest(app, { grant_type: "refresh_token", refresh_token: refreshToken });
}

async function tokenRequest(app: OAuthApp, params: Record<string, string>): Promise<IssuedTokens> {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  const body = new URLSearchParams(params);
  if (app.clientAuth === "basic") {
    const pair = `${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString("base64")}`;
  } else {
    body.set("client_id", app.clientId);
    body.set("client_secret", app.clientSecret);
  }
  const name = networkName(app.network);
  let response: Response;
  try {
    response = await fetch(app.tokenUrl, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new SocialError({
      network: app.network,
      cause: "network_outage",
      retryable: true,
      code: "unreachable",
      message: `${name}'s sign-in service could not be reached.`,
      fix: "Try connecting again in a few minutes.",
    });
  }
  const json = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  const accessToken = json?.access_token;
  if (!response.ok || typeof accessToken !== "string") {
    const reason = typeof json?.error === "string" ? json.error : `HTTP ${response.status}`;
    const authentication = response.status === 400 || response.status === 401;
    throw new SocialError({
      network: app.network,
      cause: authentication ? "authentication" : "network_outage",
      retryable: !authentication,
      code: `${response.status} ${reason}`,
      message: `${name} refused the sign-in (${reason}).`,
      fix: authentication
        ? `Connect the ${name} account again.`
        : "Try connecting again in a few minutes.",
      status: response.status,
    });
  }
  const expiresIn = Number(json?.expires_in);
  return {
    accessToken,
    refreshToken: typeof json?.refresh_token === "string" ? json.refresh_token : null,
    expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : null,
    scopes: typeof json?.scope === "string" ? json.scope : "",
  };
}
