import { FakeClock } from "../../../lib/clock";
import { MemoryRateLimiter } from "./limiter";
import { expectedSpan, span } from "./limiterSpan";

/**
 * The per-number schedule keeps its exact spacing (limiterSpan.ts): the in-process schedule.
 * The Redis one: limiter.redis.test.ts.
 */
describe("send rate limiter", () => {
  it("spaces slots exactly in process", async () => {
    const clock = new FakeClock("2026-12-02T06:00:00Z");
    const limiter = new MemoryRateLimiter(clock);
    // Slots are epoch ms in doubles: 2,000 additions drift by a fraction of a millisecond.
    expect(Math.abs((await span(limiter, () => clock.nowMs())) - expectedSpan)).toBeLessThan(1);
  });
});
