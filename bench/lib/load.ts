import autocannon from "autocannon";
import { parseServerTiming } from "../../src/lib/requestTiming";

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
  /** Read each response's Server-Timing header (the app sends one; the baseline does not). */
  serverTiming?: boolean;
}

/** What the server said about its own time (Server-Timing), per response of the measured run. */
export interface ServerTimes {
  /** `total`: from the first middleware to the response head, in the server's own clock. */
  total: { p50: number; p95: number; p99: number };
  /** `db`: time with a statement in flight. */
  db: { p50: number; p95: number };
  /** Statements per response (the median). */
  statements: number;
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
  server?: ServerTimes;
}

interface Timings {
  total: number[];
  db: number[];
  statements: number[];
}

/** http-parser-js hands autocannon the raw header list: [name, value, name, value, …]. */
function recordTiming(timings: Timings, info: { headers?: string[] }): void {
  const list = info.headers ?? [];
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (list[i]?.toLowerCase() !== "server-timing") continue;
    const metrics = parseServerTiming(list[i + 1]);
    if (metrics.total?.dur !== undefined) timings.total.push(metrics.total.dur);
    if (metrics.db?.dur !== undefined) timings.db.push(metrics.db.dur);
    const statements = /^(\d+)/.exec(metrics.db?.desc ?? "")?.[1];
    if (statements) timings.statements.push(Number(statements));
  }
}

function run(
  url: string,
  options: LoadOptions,
  seconds: number,
  times?: number[],
  timings?: Timings,
) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: seconds,
        pipelining: 1,
        timeout: 30,
        headers: options.headers,
        setupClient: timings
          ? (client) => client.on("headers", (info) => recordTiming(timings, info))
          : undefined,
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
  const timings: Timings | undefined = options.serverTiming
    ? { total: [], db: [], statements: [] }
    : undefined;
  const result = await run(url, options, options.duration, times, timings);
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
    server: timings?.total.length ? serverTimes(timings) : undefined,
  };
}

function serverTimes(timings: Timings): ServerTimes {
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const total = sorted(timings.total);
  const db = sorted(timings.db);
  return {
    total: { p50: percentile(total, 50), p95: percentile(total, 95), p99: percentile(total, 99) },
    db: { p50: percentile(db, 50), p95: percentile(db, 95) },
    statements: percentile(sorted(timings.statements), 50),
  };
}
