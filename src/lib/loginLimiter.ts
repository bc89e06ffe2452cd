import IORedis from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { Config } from "../config";

const windowSeconds = 15 * 60;

export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Sign-in attempts per IP address and per account (a success clears the account's count). In Redis when configured, so every web process shares the counts.
 */
export class LoginLimiter {
  private constructor(
    private readonly perIp: RateLimiterAbstract,
    private readonly perAccount: RateLimiterAbstract,
    private readonly redis?: IORedis,
  ) {}

  static create(
    config: Pick<
      Config,
      "REDIS_URL" | "QUEUE_PREFIX" | "LOGIN_LIMIT_PER_IP" | "LOGIN_LIMIT_PER_ACCOUNT"
    >,
  ): LoginLimiter {
    const ip = {
      points: config.LOGIN_LIMIT_PER_IP,
      duration: windowSeconds,
      keyPrefix: `${config.QUEUE_PREFIX}:login-ip`,
    };
    const account = {
      points: config.LOGIN_LIMIT_PER_ACCOUNT,
      duration: windowSeconds,
      keyPrefix: `${config.QUEUE_PREFIX}:login-account`,
    };
    if (!config.REDIS_URL) {
      return new LoginLimiter(new RateLimiterMemory(ip), new RateLimiterMemory(account));
    }
    // Connects on first use: worker processes hold a limiter they never ask.
    const redis = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true });
    return new LoginLimiter(
      new RateLimiterRedis({ ...ip, storeClient: redis }),
      new RateLimiterRedis({ ...account, storeClient: redis }),
      redis,
    );
  }

  /**
   * Takes a point from the IP and one from the account before the password is checked, so
   * parallel guesses cannot all slip through while the slow hash runs; a success refunds the
   * account (`succeeded`).
   */
  async attempt(ip: string, email: string): Promise<LimitCheck> {
    try {
      await this.perIp.consume(ip);
      await this.perAccount.consume(email.toLowerCase());
      return { allowed: true };
    } catch (rejection) {
      return this.refusal(rejection);
    }
  }

  /** A correct password clears the account's count. */
  async succeeded(email: string): Promise<void> {
    await this.perAccount.delete(email.toLowerCase());
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status === "wait") return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  private refusal(rejection: unknown): LimitCheck {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) };
    }
    throw rejection;
  }
}
