/** Benchmark settings read from the environment, the same way in every benchmark. */

/** A non-negative number from `name`, or `fallback` when it is unset or empty. */
export function numberSetting(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number (got ${value})`);
  return n;
}

/**
 * The shared MySQL/MariaDB benchmark database: BENCH_DATABASE_URL, else DATABASE_URL when it is
 * a mysql URL (a SQLite test URL would not hold a million rows), else the local crm_bench.
 */
export function mysqlBenchUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ||
    (process.env.DATABASE_URL?.startsWith("mysql") ? process.env.DATABASE_URL : undefined) ||
    "mysql://root@127.0.0.1:3306/crm_bench"
  );
}
