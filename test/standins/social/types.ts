import type { IncomingMessage, ServerResponse } from "node:http";

/** The four networks the stand-in plays, each under its own path prefix (/linkedin, /x, …). */
export type StandInNetwork = "linkedin" | "facebook" | "instagram" | "x";

/**
 * The documented ways a network refuses a request, which a test asks for with `failNext`. Each
 * network answers them in its own shape (status, error body, codes), as the real API does.
 */
export type StandInFailure =
  | "expired_token"
  | "permission"
  | "media_rejected"
  | "content_policy"
  | "duplicate"
  | "rate_limit"
  | "outage";

/** What a token may act for: LinkedIn author URNs, Page ids, Instagram user ids, X user ids. */
export interface Grant {
  network: StandInNetwork | "facebook_user";
  subjects: Set<string>;
  name: string;
  /** Facebook users: the Pages (and their Instagram accounts) /me/accounts lists. */
  pages: StandInPage[];
  scopes: string[];
}

export interface StandInPage {
  id: string;
  name: string;
  instagram?: { id: string; username: string };
}

/** A post the network accepted, for assertions. */
export interface PublishedPost {
  network: StandInNetwork;
  id: string;
  /** Author URN, Page id, Instagram user id or X user id. */
  accountId: string;
  text: string;
  /** LinkedIn image URNs, X media ids, or the image URL Facebook/Instagram were given. */
  media: string[];
  link?: string;
  at: number;
}

/** One request as the stand-in saw it (method, path without query, status it answered). */
export interface RecordedRequest {
  network: StandInNetwork;
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** What the shared server hands each network's handler. */
export interface StandInRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path after the network prefix, e.g. /rest/posts. */
  path: string;
  query: URLSearchParams;
  body: Buffer;
  /** The Bearer token (header, or access_token parameter on the Graph API), if any. */
  token: string | undefined;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}
