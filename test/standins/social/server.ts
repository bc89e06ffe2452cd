import { createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleGraph } from "./graph";
import { handleLinkedIn } from "./linkedin";
import type {
  Grant,
  PublishedPost,
  RecordedRequest,
  Reply,
  StandInFailure,
  StandInNetwork,
  StandInPage,
  StandInRequest,
} from "./types";
import { handleX } from "./x";

export type { PublishedPost, StandInFailure, StandInNetwork, StandInPage } from "./types";

/**
 * Local LinkedIn, Facebook, Instagram and X for tests (CONTRACTS.md "Social networks"), one HTTP
 * server with a path prefix per network: {url}/linkedin/rest/posts, {url}/facebook/v20.0/…,
 * {url}/instagram/v20.0/…, {url}/x/2/tweets. It enforces what the real APIs do (Bearer tokens,
 * LinkedIn's version headers, body shapes, media uploaded before a post uses it, rate limits,
 * Instagram's 50 posts per 24 h), fails on request in each documented way (`failNext`), and keeps
 * every accepted post in `posts`. The app reaches it only through the *_API_BASE_URL settings.
 *
 * Tokens: `issueToken` for tests that start from a connected account; tokens the OAuth stand-in
 * (oauth.ts) issued are accepted too once `trustIssuer` names it (RS256, checked against its JWKS).
 */
export class SocialStandIn {
  url = "";
  readonly posts: PublishedPost[] = [];
  readonly requests: RecordedRequest[] = [];
  /** The stand-in's clock (Instagram's rolling 24 h); tests may replace it. */
  now: () => number = () => 0;
  /** Publishes per network before 429 (or the network's limit error); reset with resetLimits. */
  readonly publishLimit: Partial<Record<StandInNetwork, number>> = {};
  readonly publishCount: Partial<Record<StandInNetwork, number>> = {};
  /** X video processing: STATUS checks before it ends, and whether it ends failed (xChunked.ts). */
  xVideo = { checks: 2, fails: false };
  /** Instagram's documented cap: posts per Instagram user per rolling 24 hours. */
  instagramDailyLimit = 50;
  /** The Meta app Facebook and Instagram sign in through (fb_exchange_token checks it). */
  facebookApp = { id: "facebook-client", secret: "facebook-secret" };
  readonly grants = new Map<string, Grant>();
  private readonly failures = new Map<StandInNetwork, StandInFailure[]>();
  private readonly revoked = new Set<string>();
  private issuerKeys: Map<string, JsonWebKey> | null = null;
  private issuerUrl: string | null = null;
  private server: Server | null = null;
  private counter = 1000;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** The API base URL the app is configured with for a network. */
  baseUrl(network: StandInNetwork): string {
    return `${this.url}/${network}`;
  }

  /** The app settings that point every network client here. */
  settings(): Record<string, string> {
    return {
      LINKEDIN_API_BASE_URL: this.baseUrl("linkedin"),
      FACEBOOK_API_BASE_URL: this.baseUrl("facebook"),
      INSTAGRAM_API_BASE_URL: this.baseUrl("instagram"),
      X_API_BASE_URL: this.baseUrl("x"),
    };
  }

  /**
   * A token that may act for `subject` on `network` (LinkedIn: the author URN; Facebook: the Page
   * id; Instagram: the Instagram user id; X: the user id).
   */
  issueToken(network: StandInNetwork, subject: string, name = "Test account"): string {
    const token = `${network}-${randomBytes(12).toString("hex")}`;
    this.grants.set(token, { network, subjects: new Set([subject]), name, pages: [], scopes: [] });
    return token;
  }

  /** The token stops working (an expired or revoked token): the network answers 401 / code 190. */
  revokeToken(token: string): void {
    this.revoked.add(token);
  }

  /** The next `times` requests to `network` fail with `failure` (in the network's own shape). */
  failNext(network: StandInNetwork, failure: StandInFailure, times = 1): void {
    const queue = this.failures.get(network) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(network, queue);
  }

  resetLimits(): void {
    for (const key of Object.keys(this.publishCount))
      delete this.publishCount[key as StandInNetwork];
  }

  /** Accept access tokens signed by the OAuth stand-in at `issuerUrl` (its JWKS is fetched once). */
  trustIssuer(issuerUrl: string): void {
    this.issuerUrl = issuerUrl;
    this.issuerKeys = null;
  }

  postsOf(network: StandInNetwork): PublishedPost[] {
    return this.posts.filter((post) => post.network === network);
  }

  // ---- for the network handlers ----

  nextId(): string {
    this.counter += 1;
    return `${this.counter}${randomBytes(3).readUIntBE(0, 3)}`;
  }

  /** The failure queued for this network, taken off the queue. */
  takeFailure(network: StandInNetwork): StandInFailure | undefined {
    return this.failures.get(network)?.shift();
  }

  /** Counts a publish; false when the network's publish limit is used up. */
  countPublish(network: StandInNetwork): boolean {
    const used = this.publishCount[network] ?? 0;
    const limit = this.publishLimit[network];
    if (limit !== undefined && used >= limit) return false;
    this.publishCount[network] = used + 1;
    return true;
  }

  /** The grant behind a token, or null when it is unknown, revoked or badly signed. */
  async grantFor(token: string | undefined): Promise<Grant | null> {
    if (!token || this.revoked.has(token)) return null;
    const known = this.grants.get(token);
    if (known) return known;
    const claims = await this.verifyIssuerToken(token);
    if (!claims) return null;
    const grant = grantFromClaims(claims);
    if (grant) this.grants.set(token, grant);
    return grant;
  }

  /** A new opaque token with the same rights (Facebook's long-lived and Page tokens). */
  deriveToken(grant: Grant, overrides: Partial<Grant> = {}): string {
    const token = `EAA${randomBytes(16).toString("hex")}`;
    this.grants.set(token, { ...grant, ...overrides });
    return token;
  }

  private async verifyIssuerToken(token: string): Promise<Record<string, unknown> | null> {
    if (!this.issuerUrl) return null;
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [head, payload, signature] = parts as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as {
        kid?: string;
      };
      if (!this.issuerKeys) {
        const response = await fetch(`${this.issuerUrl}/jwks`);
        const { keys } = (await response.json()) as { keys: (JsonWebKey & { kid: string })[] };
        this.issuerKeys = new Map(keys.map((key) => [key.kid, key]));
      }
      const jwk = this.issuerKeys.get(header.kid ?? "");
      if (!jwk) return null;
      const key = createPublicKey({ key: jwk, format: "jwk" });
      const valid = verify(
        "RSA-SHA256",
        Buffer.from(`${head}.${payload}`),
        key,
        Buffer.from(signature, "base64url"),
      );
      if (!valid) return null;
      return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<
        string,
        unknown
      >;
    } catch {
      return null;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = new URL(req.url ?? "/", "http://standin");
    const match = /^\/(linkedin|facebook|instagram|x)(\/.*)$/.exec(address.pathname);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!match) return send(res, { status: 404, body: { error: "unknown network" } });
    const network = match[1] as StandInNetwork;
    const request: StandInRequest = {
      req,
      res,
      method: req.method ?? "GET",
      path: match[2] as string,
      query: address.searchParams,
      body: Buffer.concat(chunks),
      token: bearerOf(req, address.searchParams),
    };
    const reply =
      network === "linkedin"
        ? await handleLinkedIn(this, request)
        : network === "x"
          ? await handleX(this, request)
          : await handleGraph(this, network, request);
    this.requests.push({
      network,
      method: request.method,
      path: request.path,
      status: reply.status,
      headers: req.headers,
    });
    send(res, reply);
  }
}

function bearerOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
  return header?.[1] ?? query.get("access_token") ?? undefined;
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(reply.body));
}

/** Claims the OAuth stand-in puts in its access tokens (oauthProcess.mjs): net, sub, acct. */
function grantFromClaims(claims: Record<string, unknown>): Grant | null {
  const network = claims.net;
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  const account = (claims.acct ?? {}) as { name?: string; pages?: StandInPage[] };
  const scopes = typeof claims.scope === "string" ? claims.scope.split(/[ ,]+/) : [];
  const base = { name: account.name ?? sub, pages: account.pages ?? [], scopes };
  if (network === "linkedin")
    return { ...base, network, subjects: new Set([`urn:li:person:${sub}`]) };
  if (network === "x") return { ...base, network, subjects: new Set([sub]) };
  if (network === "facebook" || network === "instagram")
    return { ...base, network: "facebook_user", subjects: new Set() };
  return null;
}
