/**
 * Errors after which running the same transaction again can succeed, the database having rolled
 * it back whole: a deadlock MariaDB broke, a lock wait that timed out, SQLite's stale snapshot or
 * busy writer (embedded mode lets one transaction write at a time, and one that read before
 * another committed cannot write after it). Retrying a single statement cannot help; the whole
 * step must run again.
 */
export function isRetryableConflict(error: unknown): boolean {
  return (
    error instanceof Error &&
    /SQLITE_BUSY|database is locked|Deadlock found|Lock wait timeout exceeded/.test(error.message)
  );
}

/**
 * Runs `step` (a whole transaction) again after a retryable conflict, or another error `alsoWhen`
 * accepts, with a short growing pause; after `attempts` runs the last error is thrown.
 */
export async function runAgainOnConflict<T>(
  step: () => Promise<T>,
  { attempts = 8, alsoWhen }: { attempts?: number; alsoWhen?: (error: unknown) => boolean } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      const retryable = isRetryableConflict(error) || alsoWhen?.(error) === true;
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}
