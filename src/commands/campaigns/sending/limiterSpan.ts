import { randomUUID } from "node:crypto";
import type { SendRateLimiter } from "./limiter";

/**
 * For the limiter tests: 2,000 slots at 980/s (1,000/s with the 2 % headroom) span
 * 1,999 × 1,020.4 µs = 2,039.8 ms — not 1,999 ms, which is what a schedule rounded to whole
 * milliseconds (or to Lua's 14 significant digits) gives.
 */
const slots = 2000;
const perSecond = 980;
export const expectedSpan = ((slots - 1) * 1000) / perSecond;

/**
 * The span between the first and last slot reserved, on the caller's clock. A wait is counted from
 * the middle of its round trip (the store read its clock somewhere inside it), so a reply held
 * back by a busy machine does not move the slot it names.
 */
export async function span(limiter: SendRateLimiter, now: () => number): Promise<number> {
  const key = `test-${randomUUID()}`;
  const at: number[] = [];
  for (let i = 0; i < slots; i++) {
    const sent = now();
    const wait = await limiter.reserve(key, perSecond, 60_000);
    if (wait === null) throw new Error(`slot ${i} refused`);
    at.push((sent + now()) / 2 + wait);
  }
  return at[at.length - 1]! - at[0]!;
}
