import type { SocialNetwork } from "../../models/SocialAccount";

export type { SocialNetwork } from "../../models/SocialAccount";

/** Why a network refused (or never answered) a call, in words a marketer can act on. */
export type SocialErrorCause =
  "authentication" | "media" | "limit" | "network_outage" | "content_policy" | "unknown";

/** The classified error every network call throws: what happened, whether to retry, what to do. */
export class SocialError extends Error {
  readonly network: SocialNetwork;
  // Error.cause (unknown) narrowed to the classification: the name the contract gives it.
  override readonly cause: SocialErrorCause;
  /** A later try may succeed (outage, rate limit); false means retrying repeats the failure. */
  readonly retryable: boolean;
  /** The network's own code (HTTP status and error code), kept for the attempt log. */
  readonly code: string;
  /** What the person should do, shown beside the failure. */
  readonly fix: string;
  /** HTTP status, when the network answered. */
  readonly status: number | null;
  /** How long the network asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | null;
  /** When the network's rate-limit window resets (x-rate-limit-reset), when it said. */
  readonly resetAt: Date | null;
  /**
   * The request may have reached the network (it timed out or the connection dropped after the
   * request was sent): a publish may have happened, so it must not be blindly retried.
   */
  readonly outcomeUnknown: boolean;

  constructor(fields: {
    network: SocialNetwork;
    cause: SocialErrorCause;
    retryable: boolean;
    code: string;
    message: string;
    fix: string;
    status?: number | null;
    retryAfterMs?: number | null;
    resetAt?: Date | null;
    outcomeUnknown?: boolean;
  }) {
    super(fields.message);
    this.name = "SocialError";
    this.network = fields.network;
    this.cause = fields.cause;
    this.retryable = fields.retryable;
    this.code = fields.code;
    this.fix = fields.fix;
    this.status = fields.status ?? null;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.resetAt = fields.resetAt ?? null;
    this.outcomeUnknown = fields.outcomeUnknown ?? false;
  }

  /** Plain JSON for attempt logs and job payloads. */
  toJSON(): SocialErrorJson {
    return {
      network: this.network,
      cause: this.cause,
      retryable: this.retryable,
      code: this.code,
      message: this.message,
      fix: this.fix,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      resetAt: this.resetAt?.toISOString() ?? null,
      outcomeUnknown: this.outcomeUnknown,
    };
  }
}

export interface SocialErrorJson {
  network: SocialNetwork;
  cause: SocialErrorCause;
  retryable: boolean;
  code: string;
  message: string;
  fix: string;
  status: number | null;
  retryAfterMs: number | null;
  resetAt: string | null;
  outcomeUnknown: boolean;
}

/** What a client needs of a connected account: who posts, and the (opened) access token. */
export interface AccountCredentials {
  network: SocialNetwork;
  /** LinkedIn author URN, Facebook Page id, Instagram user id or X user id. */
  externalId: string;
  accessToken: string;
  tokenExpiresAt: Date | null;
}

export interface PublishImage {
  bytes: Buffer;
  mimeType: string;
  /** An address the network can fetch the image from (Facebook and Instagram fetch it). */
  publicUrl: string;
}

export interface PublishInput {
  text: string;
  image?: PublishImage;
}

export interface PublishResult {
  externalPostId: string;
  /** Where the post can be seen, when the network's id makes one. */
  url?: string;
}

/** The result of a pre-flight check of an account before a scheduled post. */
export interface AccountCheck {
  /** ok: usable; expiring: usable now, expires within the warning window; else it will fail. */
  state: "ok" | "expiring" | "expired" | "unauthorized" | "unreachable";
  expiresAt: Date | null;
  message: string;
  fix: string | null;
}

/** One network's client: publishing and the pre-flight check, over its real HTTP API. */
export interface NetworkClient {
  network: SocialNetwork;
  publish(account: AccountCredentials, input: PublishInput): Promise<PublishResult>;
  /** A cheap authenticated read (the account's own profile); throws SocialError on refusal. */
  verify(account: AccountCredentials): Promise<void>;
}
