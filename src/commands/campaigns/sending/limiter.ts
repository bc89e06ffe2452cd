import IORedis from "ioredis";
import type { Config } from "../../../config";
import type { Clock } from "../../../lib/clock";

/**
 * The per-number send rate (issue 11, "smooth"): a GCRA limiter — each send reserves the next
 * slot of an evenly spaced schedule at `perSecond`, so sends go out 1000/perSecond ms apart and
 * no one-second window can hold more than perSecond of them, whoever sends. BullMQ's own limiter
 * counts fixed windows and bursts to ~1.5× its cap (DESIGN.md), and is per queue, not per number.
 *
 * With REDIS_URL the schedule lives in Redis (one key per phone_number_id, updated by a Lua
 * script on Redis's own clock), shared by every worker; embedded, in this process.
 */
export interface SendRateLimiter {
  /**
   * Reserves a slot for one send on `key` and resolves with how long to wait for it (ms), or with
   * null when the schedule is already more than `maxWaitMs` ahead (try again later).
   */
  reserve(key: string, perSecond: number, maxWaitMs: number): Promise<number | null>;
  close(): Promise<void>;
}

/** In-process GCRA on the injected clock: the embedded mode and unit tests. */
export class MemoryRateLimiter implements SendRateLimiter {
  private readonly next = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  reserve(key: string, perSecond: number, maxWaitMs: number): Promise<number | null> {
    const now = this.clock.nowMs();
    const interval = 1000 / perSecond;
    const slot = Math.max(this.next.get(key) ?? now, now);
    if (slot - now > maxWaitMs) return Promise.resolve(null);
    this.next.set(key, slot + interval);
    return Promise.resolve(slot - now);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * KEYS[1] the number's schedule; ARGV interval (µs), max wait (µs). Time is Redis's (TIME), the
 * one clock all workers share. Returns the wait in µs, or -1 when it would exceed the max.
 * The next slot is stored with string.format('%.0f'): Lua's tostring keeps 14 significant
 * digits, which rounds a µs epoch (16 digits) to 100 µs — 1,020 µs steps became 1,000 and the
 * 2 % headroom at 1,000/s was lost (bench:campaigns measured 1,000 sends in one second).
 */
const reserveScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local stored = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = stored
if slot < now then slot = now end
if slot - now > tonumber(ARGV[2]) then return -1 end
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.floor((slot - now) / 1000) + 60000)
return slot - now
`;

type ReserveCommand = IORedis & {
  campaignRateReserve(key: string, intervalUs: string, maxWaitUs: string): Promise<number>;
};

export class RedisRateLimiter implements SendRateLimiter {
  private readonly redis: ReserveCommand;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    const redis = new IORedis(url, { maxRetriesPerRequest: 3, lazyConnect: true });
    redis.defineCommand("campaignRateReserve", { numberOfKeys: 1, lua: reserveScript });
    this.redis = redis as ReserveCommand;
  }

  async reserve(key: string, perSecond: number, maxWaitMs: number): Promise<number | null> {
    const waitUs = await this.redis.campaignRateReserve(
      `${this.prefix}:${key}`,
      String(Math.round(1_000_000 / perSecond)),
      String(maxWaitMs * 1000),
    );
    return waitUs < 0 ? null : waitUs / 1000;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One limiter per process and Redis URL (the workers of a process share it). */
const limiters = new Map<string, SendRateLimiter>();

export function sendRateLimiterFor(
  config: Pick<Config, "REDIS_URL" | "QUEUE_PREFIX">,
  clock: Clock,
): SendRateLimiter {
  const key = config.REDIS_URL ?? "memory";
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = config.REDIS_URL
      ? new RedisRateLimiter(config.REDIS_URL, `{${config.QUEUE_PREFIX}}:campaign-rate`)
      : new MemoryRateLimiter(clock);
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Closes this process's limiters (shutdown, test teardown). */
export async function closeSendRateLimiters(): Promise<void> {
  const all = [...limiters.values()];
  limiters.clear();
  await Promise.all(all.map((limiter) => limiter.close()));
}
