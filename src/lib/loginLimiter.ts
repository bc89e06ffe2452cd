import { createHash } from "node:crypto";
import IORedis from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { Config } from "../config";
import type { Clock } from "./clock";

export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Why a sign-in was not even tried: this account from this address, or this address at all. */
export interface LoginRefusal {
  scope: "account" | "network";
  retryAfterSeconds: number;
}

export type LoginLimitSettings = Pick<
  Config,
  | "REDIS_URL"
  | "QUEUE_PREFIX"
  | "LOGIN_FREE_FAILURES"
  | "LOGIN_FIRST_DELAY_SECONDS"
  | "LOGIN_MAX_DELAY_SECONDS"
  | "LOGIN_IP_FAILURES_PER_HOUR"
>;

/** An account's failures from one address are forgotten this long after the first of them. */
const failureMemorySeconds = 24 * 60 * 60;
const ipWindowSeconds = 60 * 60;
/** Longest a password check may hold its turn (the hash and two statements take well under 1 s). */
const turnSeconds = 30;

/** E-mail addresses never reach Redis keys as such. */
function pairKey(email: string, ip: string): string {
  return createHash("sha256").update(`${email.trim().toLowerCase()}\n${ip}`).digest("base64url");
}

function secondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Sign-in limits after OWASP's guidance (Authentication and Credential Stuffing cheat sheets):
 * failures are counted per (account, IP address) — so a stranger guessing from elsewhere slows
 * only themselves and never locks the owner out — and per IP address across accounts. Successes
 * count against nothing: colleagues behind one office address do not use up each other's tries.
 *
 * - Per (account, address): the first LOGIN_FREE_FAILURES wrong passwords cost nothing; after
 *   that each try waits LOGIN_FIRST_DELAY_SECONDS after the last failure, doubling with every
 *   further failure up to LOGIN_MAX_DELAY_SECONDS. A correct password clears the count.
 * - Per address: at most LOGIN_IP_FAILURES_PER_HOUR failures an hour, whatever the accounts.
 *
 * Counts live in Redis when REDIS_URL is set (every web process shares them), in memory otherwise.
 * Delays are measured on the injected clock; the stores only expire old keys.
 */
export class LoginLimiter {
  private constructor(
    private readonly settings: LoginLimitSettings,
    private readonly clock: Clock,
    private readonly ipFailures: RateLimiterAbstract,
    /**
     * Sign-ins per (account, address) not known to have succeeded — failures, and tries whose
     * hash is still running: consumedPoints is the count.
     */
    private readonly failures: RateLimiterAbstract,
    /** When the pair last failed (epoch ms, stored as the key's points). */
    private readonly lastFailure: RateLimiterAbstract,
    /** One password check at a time per pair once it is past its free failures. */
    private readonly turn: RateLimiterAbstract,
    private readonly redis?: IORedis,
  ) {}

  static create(settings: LoginLimitSettings, clock: Clock): LoginLimiter {
    const prefix = `${settings.QUEUE_PREFIX}:login`;
    const options = {
      ip: {
        points: settings.LOGIN_IP_FAILURES_PER_HOUR,
        duration: ipWindowSeconds,
        keyPrefix: `${prefix}-ip`,
      },
      failures: {
        points: Number.MAX_SAFE_INTEGER,
        duration: failureMemorySeconds,
        keyPrefix: `${prefix}-fails`,
      },
      lastFailure: {
        points: Number.MAX_SAFE_INTEGER,
        duration: failureMemorySeconds,
        keyPrefix: `${prefix}-last`,
      },
      turn: { points: 1, duration: turnSeconds, keyPrefix: `${prefix}-turn` },
    } satisfies Record<string, IRateLimiterOptions>;
    // Connects on first use: worker processes hold a limiter they never ask.
    const redis = settings.REDIS_URL
      ? new IORedis(settings.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true })
      : undefined;
    const store = (name: keyof typeof options): RateLimiterAbstract =>
      redis
        ? new RateLimiterRedis({ ...options[name], storeClient: redis })
        : new RateLimiterMemory(options[name]);
    return new LoginLimiter(
      settings,
      clock,
      store("ip"),
      store("failures"),
      store("lastFailure"),
      store("turn"),
      redis,
    );
  }

  /** The wait after `failures` failures of one pair, in ms (0 while they are free). */
  delayAfter(failures: number): number {
    const { LOGIN_FREE_FAILURES: free, LOGIN_FIRST_DELAY_SECONDS: first } = this.settings;
    if (failures < free) return 0;
    const seconds = first * 2 ** Math.min(failures - free, 30);
    return Math.min(seconds, this.settings.LOGIN_MAX_DELAY_SECONDS) * 1000;
  }

  /**
   * Runs `check` (the password check) under the limits, or refuses without running it.
   * `failed(result)` says whether the result counts as a wrong password.
   *
   * Both counts are taken before the check and given back when it succeeds (or is refused, or
   * breaks), so parallel guesses are counted while their hashes run: at most the free failures
   * and one more get through at once.
   */
  async guard<T>(
    ip: string,
    email: string,
    check: () => Promise<T>,
    failed: (result: T) => boolean,
  ): Promise<{ refused: LoginRefusal } | { refused: null; result: T }> {
    const network = await this.take(this.ipFailures, ip);
    if (network) return { refused: { scope: "network", retryAfterSeconds: network } };
    const key = pairKey(email, ip);
    let counted = false;
    let holdsTurn = false;
    const giveBack = async () => {
      await this.ipFailures.reward(ip, 1);
      if (counted) await this.failures.reward(key, 1);
    };
    try {
      const attempt = (await this.failures.penalty(key, 1)).consumedPoints;
      counted = true;
      if (attempt > this.settings.LOGIN_FREE_FAILURES) {
        const busy = await this.take(this.turn, key);
        // Another try of this pair is running: it ends within a second or so.
        const wait = busy ? 1000 : await this.waitFor(key, attempt - 1);
        holdsTurn = !busy;
        if (wait > 0) {
          await giveBack();
          return { refused: { scope: "account", retryAfterSeconds: secondsUntil(wait) } };
        }
      }
      const result = await check();
      if (failed(result)) await this.lastFailure.set(key, this.clock.nowMs(), failureMemorySeconds);
      else await this.clear(ip, key);
      return { refused: null, result };
    } catch (error) {
      // Not the person's failure: the check itself broke.
      await giveBack().catch(() => undefined);
      throw error;
    } finally {
      if (holdsTurn) await this.turn.delete(key).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === "wait") return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  /** Takes one point; the seconds to wait when there is none left, else 0. */
  private async take(limiter: RateLimiterAbstract, key: string): Promise<number> {
    try {
      await limiter.consume(key);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return secondsUntil(rejection.msBeforeNext);
      throw rejection;
    }
  }

  /** Ms left before this pair may try again after `failures` failures (0 when it may). */
  private async waitFor(key: string, failures: number): Promise<number> {
    const last = (await this.lastFailure.get(key))?.consumedPoints ?? 0;
    return Math.max(0, last + this.delayAfter(failures) - this.clock.nowMs());
  }

  /** A correct password: the pair starts afresh and the address gets its point back. */
  private async clear(ip: string, key: string): Promise<void> {
    await this.failures.delete(key);
    await this.lastFailure.delete(key);
    await this.ipFailures.reward(ip, 1);
  }
}
