import autocannon from "autocannon";

/**
 * One autocannon measurement: a warm-up run whose figures are thrown away, then the measured run.
 * Latency percentiles are computed from every response's own time (autocannon's histogram has no
 * p95), req/s is autocannon's mean of per-second samples.
 */

export interface LoadOptions {
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of warm-up before measuring (same URL, same connections). */
  warmup: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses outside 2xx, connection errors and timeouts: any makes the figures suspect. */
  bad: number;
  statusCodes: Record<string, number>;
}

function run(url: string, options: LoadOptions, seconds: number, times?: number[]) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: seconds,
        pipelining: 1,
        timeout: 30,
        headers: options.headers,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (times) instance.on("response", (_client, _status, _bytes, time) => times.push(time));
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export async function measure(url: string, options: LoadOptions): Promise<LoadResult> {
  if (options.warmup > 0) await run(url, options, options.warmup);
  const times: number[] = [];
  const result = await run(url, options, options.duration, times);
  times.sort((a, b) => a - b);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count;
  return {
    requests: times.length,
    reqPerSec: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? Number.NaN,
    bad: result.non2xx + result.errors + result.timeouts,
    statusCodes,
  };
}
