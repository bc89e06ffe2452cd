import type { CpuShare } from "../lib/cpu";
import type { LoadResult } from "../lib/load";
import { mysqlBenchUrl, numberSetting } from "../lib/settings";

/** The customers benchmark's settings (environment, see bench/customers.ts), targets and scenarios. */
export const settings = {
  databaseUrl: mysqlBenchUrl(),
  customersA: numberSetting("BENCH_CUSTOMERS_A", 1_000_000),
  customersB: numberSetting("BENCH_CUSTOMERS_B", 100_000),
  connections: numberSetting("BENCH_CONNECTIONS", 50),
  duration: numberSetting("BENCH_DURATION", 10),
  warmup: numberSetting("BENCH_WARMUP", 2),
  serverTimeDuration: numberSetting("BENCH_SERVER_TIME_DURATION", 5),
  appLogLevel: process.env.BENCH_APP_LOG_LEVEL || "info",
  explain: process.env.BENCH_EXPLAIN !== "0",
  /** Wait this long at most for other processes to leave the CPU before measuring. */
  quietWait: numberSetting("BENCH_QUIET_WAIT", 180),
};

/** Issue 9's targets, per kind of page: ratio to the baseline's req/s, p99 and 1-connection p95. */
export interface Target {
  minRatio?: number;
  maxP99?: number;
  max1cP95?: number;
}

export type Kind = "baseline" | "shell" | "list" | "search" | "surname" | "tag";

export const targets: Record<Kind, Target> = {
  baseline: {},
  shell: { minRatio: 0.5 },
  list: { minRatio: 0.3, maxP99: 100 },
  search: { minRatio: 0.3, maxP99: 100 },
  tag: { minRatio: 0.3, maxP99: 100 },
  surname: { minRatio: 0.2, max1cP95: 20 },
};

export interface Scenario {
  name: string;
  kind: Kind;
  /** Path on the app (or the baseline). */
  path: string;
  note?: string;
  /** Why it was not measured (the page failed its check). */
  error?: string;
}

export interface Measured extends Scenario {
  load?: LoadResult;
  cpu?: CpuShare;
  serverTime?: LoadResult;
}
