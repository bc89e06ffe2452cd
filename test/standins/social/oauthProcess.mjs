// The OAuth 2.0 side of the social stand-in: oauth2-mock-server (ESM-only, so it runs in its own
// process; oauth.ts starts it) with each network's rules on top of the mock's permissive defaults:
// registered clients and secrets, codes used once with their redirect_uri, PKCE S256 required for
// X (the mock itself checks the verifier against the challenge), refresh tokens only where the
// network issues them (LinkedIn keeps its refresh token, X rotates it, Facebook has none), and each
// network's token lifetime. Access tokens are JWTs carrying the network (`net`), the person (`sub`)
// and what they chose on the consent page (`acct`): the network stand-in trusts them via /jwks.
//
// The person's choice: tests add `mock_account=<base64url JSON {sub, name, pages?}>` to the
// authorize URL, as someone picks an account (and Pages) on the network's consent page.
import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { OAuth2Server } from "oauth2-mock-server";

const clients = {
  "linkedin-client": {
    secret: "linkedin-secret",
    network: "linkedin",
    ttl: 5_184_000,
    refresh: "keep",
  },
  "facebook-client": {
    secret: "facebook-secret",
    network: "facebook",
    ttl: 5_400,
    refresh: "none",
  },
  "x-client": { secret: "x-secret", network: "x", ttl: 7_200, refresh: "rotate" },
};

const codes = new Map(); // code -> { client, redirectUri, pkce, account, scope }
const refreshTokens = new Map(); // refresh token -> { client, account, scope }

function credentialsOf(req) {
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "");
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    return {
      id: decodeURIComponent(id ?? ""),
      secret: decodeURIComponent(secret ?? ""),
      basic: true,
    };
  }
  return { id: req.body.client_id, secret: req.body.client_secret, basic: false };
}

// Who signs in on each client's consent page when the authorize URL does not say (a browser
// test cannot add mock_account to a redirect): startSocialOAuth({ people }) passes them here.
const people = JSON.parse(process.env.SOCIAL_OAUTH_PEOPLE ?? "{}");

function accountFrom(query) {
  const raw = query.mock_account;
  if (typeof raw !== "string")
    return people[query.client_id] ?? { sub: "member-1", name: "Test Member", pages: [] };
  return JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
}

/** The grant a token request stands for (its code, or its refresh token), if valid. */
function grantOf(body) {
  if (body.grant_type === "authorization_code") return codes.get(body.code);
  if (body.grant_type === "refresh_token") return refreshTokens.get(body.refresh_token);
  return undefined;
}

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
await server.start(0, "127.0.0.1");
server.issuer.url = `http://127.0.0.1:${server.address().port}`;
const service = server.service;

service.on("beforeAuthorizeRedirect", (redirect, req) => {
  const code = redirect.url.searchParams.get("code");
  const client = clients[req.query.client_id];
  const refuse = (error) => {
    redirect.url.searchParams.delete("code");
    redirect.url.searchParams.set("error", error);
  };
  if (!client) return refuse("unauthorized_client");
  if (
    client.network === "x" &&
    (!req.query.code_challenge || req.query.code_challenge_method !== "S256")
  )
    return refuse("invalid_request");
  codes.set(code, {
    client: req.query.client_id,
    redirectUri: req.query.redirect_uri,
    pkce: typeof req.query.code_challenge === "string",
    account: accountFrom(req.query),
    scope: req.query.scope ?? "",
  });
});

service.on("beforeTokenSigning", (token, req) => {
  const grant = grantOf(req.body);
  if (!grant) return;
  token.payload.net = clients[grant.client].network;
  token.payload.sub = grant.account.sub;
  token.payload.acct = { name: grant.account.name, pages: grant.account.pages ?? [] };
  token.payload.scope = grant.scope;
  // Two tokens for the same person within a second would otherwise be the same string.
  token.payload.jti = randomUUID();
});

service.on("beforeResponse", (response, req) => {
  const fail = (statusCode, error) => {
    response.statusCode = statusCode;
    response.body = { error };
  };
  const { id, secret, basic } = credentialsOf(req);
  const client = clients[id];
  if (!client || client.secret !== secret) return fail(401, "invalid_client");
  // X's confidential clients authenticate with HTTP Basic; the others send the secret in the body.
  if (client.network === "x" && !basic) return fail(401, "invalid_client");
  const grant = grantOf(req.body);
  if (req.body.grant_type === "authorization_code") codes.delete(req.body.code);
  if (!grant || grant.client !== id) return fail(400, "invalid_grant");
  if (req.body.grant_type === "authorization_code") {
    if (grant.redirectUri !== req.body.redirect_uri) return fail(400, "invalid_grant");
    if (grant.pkce && !req.body.code_verifier) return fail(400, "invalid_grant");
  } else if (client.refresh === "none") {
    return fail(400, "unsupported_grant_type");
  }
  const body = response.body;
  delete body.id_token;
  body.expires_in = client.ttl;
  body.scope = grant.scope;
  if (client.refresh === "none") {
    delete body.refresh_token;
  } else if (client.refresh === "keep" && req.body.grant_type === "refresh_token") {
    body.refresh_token = req.body.refresh_token;
    body.refresh_token_expires_in = 31_536_000;
  } else {
    if (req.body.grant_type === "refresh_token") refreshTokens.delete(req.body.refresh_token);
    refreshTokens.set(body.refresh_token, {
      client: id,
      account: grant.account,
      scope: grant.scope,
    });
    if (client.network === "linkedin") body.refresh_token_expires_in = 31_536_000;
  }
  if (client.refresh === "keep" && req.body.grant_type === "authorization_code")
    refreshTokens.set(body.refresh_token, {
      client: id,
      account: grant.account,
      scope: grant.scope,
    });
});

process.stdout.write(`${JSON.stringify({ url: server.issuer.url })}\n`);
process.on("SIGTERM", () => {
  server.stop().finally(() => process.exit(0));
});
