/**
 * When a failed delivery is tried again: 30 s after the first failure, doubling each time up to an
 * hour between attempts, each wait spread by ±20 % (jitter, so endpoints that failed together do
 * not all come back at the same second). A delivery gives up when its next attempt would fall
 * after `retryHours` from its creation: about 30 attempts over a day.
 */
export const firstRetryMs = 30_000;
export const longestWaitMs = 60 * 60_000;
export const jitter = 0.2;

/** The wait after the `attempts`-th failed attempt (1 = the first), before jitter. */
export function baseWaitMs(attempts: number): number {
  return Math.min(longestWaitMs, firstRetryMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The next attempt's time, or null to give up. `random` is in [0, 1) (Math.random; a fixed value
 * in tests).
 */
export function nextAttemptAt(
  createdAt: Date,
  attempts: number,
  now: Date,
  retryHours: number,
  random: () => number = Math.random,
): Date | null {
  const wait = baseWaitMs(attempts) * (1 - jitter + 2 * jitter * random());
  const next = new Date(now.getTime() + Math.round(wait));
  const deadline = createdAt.getTime() + retryHours * 3_600_000;
  return next.getTime() > deadline ? null : next;
}
