import { readFileSync, readdirSync } from "node:fs";

/**
 * CPU time of single threads, in nanoseconds, from Linux's /proc/<pid>/task/<tid>/schedstat
 * (time on a CPU, not sampled ticks): a process's CPU summed over its threads, or the CPU of the
 * database server's threads that serve given connections. On a machine shared with other work,
 * what one request costs in CPU moves far less than how many requests a second it serves.
 */

function schedNs(pid: number, tid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return 0;
  }
}

/** Every thread of `pid` with its CPU time so far. */
export function threadTimes(pid: number): Map<number, number> {
  const times = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return times;
  }
  for (const tid of tids) times.set(Number(tid), schedNs(pid, Number(tid)));
  return times;
}

/** CPU milliseconds `pid`'s threads (all, or only `only`) used between two readings. */
export function cpuMsBetween(
  before: Map<number, number>,
  after: Map<number, number>,
  only?: Set<number>,
): number {
  let ns = 0;
  for (const [tid, end] of after) {
    if (only && !only.has(tid)) continue;
    ns += end - (before.get(tid) ?? 0);
  }
  return ns / 1e6;
}
