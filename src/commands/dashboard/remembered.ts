/**
 * Counts the dashboard remembers in this process, each under a key that holds everything it
 * depends on: the business, the area's version (versions.ts), whose records (a member limited to
 * their own), and the period or stages counted. A key is never invalidated, only left behind; the
 * oldest entries go when there are too many. Concurrent views of one key share one count.
 */
const limit = 2000;
const entries = new Map<string, Promise<unknown>>();

export function remembered<T>(key: string, count: () => Promise<T>): Promise<T> {
  const known = entries.get(key);
  if (known) return known as Promise<T>;
  const counting = count();
  entries.set(key, counting);
  counting.catch(() => entries.delete(key));
  if (entries.size > limit) entries.delete(entries.keys().next().value as string);
  return counting;
}

/** Forgets everything: a test comparing remembered counts with fresh ones. */
export function forgetRemembered(): void {
  entries.clear();
}
