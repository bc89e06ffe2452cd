import IORedis from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { Config } from "../config";
import type { LimitCheck } from "./loginLimiter";

/** How many requests one key (an IP address) may make in a window. */
export interface RateRule {
  points: number;
  durationSeconds: number;
}

/** A limit's window after one request: whether it was allowed, and what the headers say. */
export interface RateState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window starts again (at least 1). */
  resetSeconds: number;
}

function stateOf(allowed: boolean, rule: RateRule, res: RateLimiterRes): RateState {
  return {
    allowed,
    limit: rule.points,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

/**
 * Named request limits (public forms, webhooks) over one store: Redis when REDIS_URL is set, so
 * every web process shares the counts; memory otherwise. One connection for all limits, opened on
 * first use, so processes that never serve a limited endpoint never connect.
 */
export class RateLimits {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  private constructor(
    private readonly prefix: string,
    private readonly redis?: IORedis,
  ) {}

  static create(config: Pick<Config, "REDIS_URL" | "QUEUE_PREFIX">): RateLimits {
    const redis = config.REDIS_URL
      ? new IORedis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true })
      : undefined;
    return new RateLimits(`${config.QUEUE_PREFIX}:rate`, redis);
  }

  /** Takes one point from `key` under the limit `name`; refused once the window is spent. */
  async consume(name: string, rule: RateRule, key: string): Promise<LimitCheck> {
    try {
      await this.limiter(name, rule).consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) };
      }
      throw rejection;
    }
  }

  /**
   * Like `consume`, with the window's state for `RateLimit-*` headers: the limit, what is left
   * and the seconds until the window resets.
   */
  async take(name: string, rule: RateRule, key: string): Promise<RateState> {
    try {
      const res = await this.limiter(name, rule).consume(key);
      return stateOf(true, rule, res);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return stateOf(false, rule, rejection);
      throw rejection;
    }
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === "wait") return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  private limiter(name: string, rule: RateRule): RateLimiterAbstract {
    // The rule is part of the key: two endpoints sharing a name but not a rule never share counts.
    const id = `${name}:${rule.points}/${rule.durationSeconds}`;
    const existing = this.limiters.get(id);
    if (existing) return existing;
    const options = {
      points: rule.points,
      duration: rule.durationSeconds,
      keyPrefix: `${this.prefix}:${id}`,
    };
    const limiter = this.redis
      ? new RateLimiterRedis({ ...options, storeClient: this.redis })
      : new RateLimiterMemory(options);
    this.limiters.set(id, limiter);
    return limiter;
  }
}
