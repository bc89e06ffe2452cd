import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * The social networks' OAuth 2.0 servers for tests: oauth2-mock-server with each network's rules
 * (oauthProcess.mjs, in a child process because the mock is ESM-only). One server plays all three
 * sign-ins, told apart by client id; Instagram signs in through Facebook's app.
 */
export const socialClients = {
  linkedin: { id: "linkedin-client", secret: "linkedin-secret" },
  facebook: { id: "facebook-client", secret: "facebook-secret" },
  x: { id: "x-client", secret: "x-secret" },
} as const;

export interface SocialOAuthServer {
  url: string;
  /** App settings pointing every network's sign-in at this server. */
  settings(): Record<string, string>;
  stop(): Promise<void>;
}

/** Someone signing in on the consent page: who they are, and the Pages they share (Meta). */
export interface ConsentPerson {
  sub: string;
  name: string;
  pages?: { id: string; name: string; instagram?: { id: string; username: string } }[];
}

/**
 * Starts the OAuth stand-in. `people` says who signs in on each network's consent page when the
 * authorize URL carries no `mock_account` (a browser following the app's redirect cannot add one).
 */
export async function startSocialOAuth(
  options: { people?: Partial<Record<keyof typeof socialClients, ConsentPerson>> } = {},
): Promise<SocialOAuthServer> {
  const people = Object.fromEntries(
    Object.entries(options.people ?? {}).map(([network, person]) => [
      socialClients[network as keyof typeof socialClients].id,
      person,
    ]),
  );
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, "oauthProcess.mjs")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, SOCIAL_OAUTH_PEOPLE: JSON.stringify(people) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`the OAuth stand-in exited (${code})`)));
  });
  return {
    url,
    settings: () => ({
      LINKEDIN_CLIENT_ID: socialClients.linkedin.id,
      LINKEDIN_CLIENT_SECRET: socialClients.linkedin.secret,
      LINKEDIN_AUTH_URL: `${url}/authorize`,
      LINKEDIN_TOKEN_URL: `${url}/token`,
      FACEBOOK_CLIENT_ID: socialClients.facebook.id,
      FACEBOOK_CLIENT_SECRET: socialClients.facebook.secret,
      FACEBOOK_AUTH_URL: `${url}/authorize`,
      FACEBOOK_TOKEN_URL: `${url}/token`,
      X_CLIENT_ID: socialClients.x.id,
      X_CLIENT_SECRET: socialClients.x.secret,
      X_AUTH_URL: `${url}/authorize`,
      X_TOKEN_URL: `${url}/token`,
    }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The `mock_account` parameter: who the person signs in as on the consent page. */
export function mockAccountParam(account: ConsentPerson): string {
  return Buffer.from(JSON.stringify(account)).toString("base64url");
}

/**
 * Tokens for `who` straight from the OAuth stand-in, as the app's connect flow gets them (the
 * authorization code, with PKCE for X, exchanged at the token endpoint): for tests that need an
 * account holding a real, refreshable grant without walking the pages.
 */
export async function grantTokens(
  oauth: SocialOAuthServer,
  network: "linkedin" | "x",
  who: { sub: string; name: string },
): Promise<{ accessToken: string; refreshToken: string; expiresIn: number }> {
  const client = socialClients[network];
  const redirectUri = "http://127.0.0.1/callback";
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${oauth.url}/authorize`);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: client.id,
    redirect_uri: redirectUri,
    scope: network === "x" ? "tweet.write users.read offline.access" : "w_member_social",
    state: "test",
    mock_account: mockAccountParam(who),
    ...(network === "x"
      ? {
          code_challenge: createHash("sha256").update(verifier).digest("base64url"),
          code_challenge_method: "S256",
        }
      : {}),
  }).toString();
  const answer = await fetch(authorize, { redirect: "manual" });
  const code = new URL(answer.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
  });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (network === "x") {
    body.set("code_verifier", verifier);
    headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`;
  } else {
    body.set("client_id", client.id);
    body.set("client_secret", client.secret);
  }
  const tokens = (await (
    await fetch(`${oauth.url}/token`, { method: "POST", headers, body })
  ).json()) as { access_token: string; refresh_token: string; expires_in: number };
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
  };
}
