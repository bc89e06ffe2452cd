/**
 * The MySQL database of one jest worker beside the run's own: suites on different workers never
 * share rows (some count platform-wide ones, like the invoice series), so MariaDB runs in parallel.
 * Kept free of imports: test/support/env.ts loads it before every test file.
 */
export function workerMysqlUrl(baseUrl: string, workerId: string | number): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, "")}_w${workerId}`;
  return url.toString();
}
