import type { Response } from "supertest";
import type TestAgent from "supertest/lib/agent";

/** A Google account as the OAuth2 stand-in reports it from /userinfo (OpenID claims). */
export interface MockGoogleAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** App settings pointing Google sign-in at the stand-in started by test/support/oauthServer.mjs. */
export function mockGoogleSettings(): Record<string, string> {
  const issuer = process.env.TEST_OAUTH_ISSUER_URL;
  if (!issuer) {
    throw new Error("The OAuth2 stand-in is not running: jest.config.js starts it (globalSetup).");
  }
  return {
    GOOGLE_CLIENT_ID: process.env.TEST_OAUTH_CLIENT_ID ?? "test-client",
    GOOGLE_CLIENT_SECRET: process.env.TEST_OAUTH_CLIENT_SECRET ?? "test-secret",
    GOOGLE_AUTHORIZATION_URL: `${issuer}/authorize`,
    GOOGLE_TOKEN_URL: `${issuer}/token`,
    GOOGLE_USERINFO_URL: `${issuer}/userinfo`,
  };
}

export interface GoogleAuthorization {
  /** Our redirect to Google's authorize page. */
  authorizeUrl: URL;
  /** Where Google sends the browser back: our callback with `code` and `state`. */
  callbackUrl: URL;
}

/**
 * The browser's trip to Google: our /auth/google, then the authorize page, where the person picks
 * `account`. Stops before returning to the app, so a test can decide which browser comes back.
 */
export async function authorizeAtGoogle(
  agent: TestAgent,
  account: MockGoogleAccount,
): Promise<GoogleAuthorization> {
  const start = await agent.get("/auth/google");
  if (start.status !== 302) throw new Error(`GET /auth/google answered ${start.status}`);
  const authorizeUrl = new URL(start.headers.location as string);
  const visit = new URL(authorizeUrl);
  visit.searchParams.set(
    "mock_account",
    Buffer.from(JSON.stringify(account)).toString("base64url"),
  );
  const consent = await fetch(visit, { redirect: "manual" });
  const location = consent.headers.get("location");
  if (consent.status !== 302 || !location) {
    throw new Error(`The authorize page answered ${consent.status}: ${await consent.text()}`);
  }
  return { authorizeUrl, callbackUrl: new URL(location) };
}

/** Back at the app with what Google gave (APP_URL's host is ignored: the agent is the app). */
export function returnFromGoogle(agent: TestAgent, callbackUrl: URL): Promise<Response> {
  return agent.get(`${callbackUrl.pathname}${callbackUrl.search}`);
}

/** The whole Google sign-in, as a person would do it; resolves with our callback's answer. */
export async function signInWithGoogle(
  agent: TestAgent,
  account: MockGoogleAccount,
): Promise<Response> {
  const { callbackUrl } = await authorizeAtGoogle(agent, account);
  return returnFromGoogle(agent, callbackUrl);
}
