import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { RedisRateLimiter } from "./limiter";
import { expectedSpan, span } from "./limiterSpan";

/** The per-number schedule in the real Redis keeps its exact spacing (limiterSpan.ts). */
describe("send rate limiter in Redis", () => {
  it("spaces slots exactly", async () => {
    const limiter = new RedisRateLimiter(
      process.env.REDIS_URL!,
      `crm-test-${randomUUID().slice(0, 8)}`,
    );
    try {
      // Each slot is read back through a round trip: a few ms of slack, far from the 41 ms lost
      // to rounding.
      const measured = await span(limiter, () => performance.timeOrigin + performance.now());
      expect(Math.abs(measured - expectedSpan)).toBeLessThan(8);
    } finally {
      await limiter.close();
    }
  });
});
