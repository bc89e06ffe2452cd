// Jest globalSetup (one per run, in Jest's own process): a local OAuth2/OpenID server standing in
// for Google, from oauth2-mock-server (ESM-only, hence .mjs). Test workers inherit its address
// through process.env. It enforces what Google does (the registered client and secret, codes used
// once with the redirect_uri they were issued for, PKCE, a Bearer token for userinfo) and answers
// userinfo with the account the "browser" picked at /authorize.
//
// Picking the account: tests add `mock_account=<base64url JSON {sub, email, email_verified, name}>`
// to the authorize URL, as a person would choose an account on Google's page.
import { Buffer } from "node:buffer";
import { OAuth2Server } from "oauth2-mock-server";

export const clientId = "test-client";
export const clientSecret = "test-secret";

const defaultAccount = {
  sub: "mock-google-user",
  email: "mock.user@example.test",
  email_verified: true,
  name: "Mock User",
};

function accountFrom(query) {
  const raw = query.mock_account;
  if (typeof raw !== "string") return defaultAccount;
  return JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
}

function credentialsOf(req) {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    return { id: decodeURIComponent(id ?? ""), secret: decodeURIComponent(secret ?? "") };
  }
  return { id: req.body.client_id, secret: req.body.client_secret };
}

function bearerOf(req) {
  const header = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
  if (header) return header[1];
  const query = new URL(req.url, "http://mock").searchParams.get("access_token");
  return query ?? undefined;
}

/** Google's rules, on top of the mock's permissive defaults. */
function enforceGoogleRules(service) {
  const codes = new Map(); // code -> { redirectUri, pkce, account }
  const accessTokens = new Map(); // access token -> account

  service.on("beforeAuthorizeRedirect", (redirect, req) => {
    const code = redirect.url.searchParams.get("code");
    if (req.query.client_id !== clientId) {
      redirect.url.searchParams.delete("code");
      redirect.url.searchParams.set("error", "unauthorized_client");
      return;
    }
    if (code) {
      codes.set(code, {
        redirectUri: req.query.redirect_uri,
        pkce: typeof req.query.code_challenge === "string",
        account: accountFrom(req.query),
      });
    }
  });

  service.on("beforeResponse", (response, req) => {
    const fail = (statusCode, error) => {
      response.statusCode = statusCode;
      response.body = { error };
    };
    const { id, secret } = credentialsOf(req);
    if (id !== clientId || secret !== clientSecret) return fail(401, "invalid_client");
    if (req.body.grant_type !== "authorization_code") return fail(400, "unsupported_grant_type");
    const issued = codes.get(req.body.code);
    codes.delete(req.body.code);
    if (!issued || issued.redirectUri !== req.body.redirect_uri) return fail(400, "invalid_grant");
    if (issued.pkce && !req.body.code_verifier) return fail(400, "invalid_grant");
    accessTokens.set(response.body.access_token, issued.account);
  });

  service.on("beforeUserinfo", (response, req) => {
    const account = accessTokens.get(bearerOf(req));
    if (!account) {
      response.statusCode = 401;
      response.body = { error: "invalid_token", error_description: "Unknown access token" };
      return;
    }
    response.body = { ...account };
  });
}

export default async function startOAuthServer() {
  // Set already: another project of this run started it, or the run points at an outside one.
  if (process.env.TEST_OAUTH_ISSUER_URL) return;
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  await server.start(0, "127.0.0.1");
  // The mock names itself "localhost"; 127.0.0.1 is where it listens, whatever localhost resolves to.
  server.issuer.url = `http://127.0.0.1:${server.address().port}`;
  enforceGoogleRules(server.service);
  globalThis.__oauthMockServer = server;
  process.env.TEST_OAUTH_ISSUER_URL = server.issuer.url;
  process.env.TEST_OAUTH_CLIENT_ID = clientId;
  process.env.TEST_OAUTH_CLIENT_SECRET = clientSecret;
}
