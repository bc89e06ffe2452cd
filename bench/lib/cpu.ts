import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

/**
 * Where the machine's CPU went during a measurement (Linux /proc): the processes under test, the
 * database server, and everything else. On a shared development machine "everything else" (other
 * people's tests and builds) is what makes a run noisy, so the benchmarks print it beside each
 * figure. Percentages are of one core (a 2-core machine has 200%).
 */

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "(comm)": state is the 3rd field, utime the 14th, stime the 15th.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

/** The pid of the local MySQL/MariaDB server, if it runs on this machine. */
export function databaseServerPid(): number | null {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (comm === "mariadbd" || comm === "mysqld") return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return null;
}

export interface CpuShare {
  /** The processes under test (servers and the load generator). */
  ours: number;
  /** The one server being measured (`focus`), part of `ours`. */
  server: number;
  db: number;
  others: number;
}

export class CpuMeter {
  private machine = machineTicks();
  private counts = new Map<number, number>();

  constructor(
    private readonly ours: () => number[],
    private readonly dbPid: number | null,
    private readonly focus?: number,
  ) {
    this.reset();
  }

  private pids(): number[] {
    return [...new Set([...this.ours(), ...(this.dbPid ? [this.dbPid] : [])])];
  }

  reset(): void {
    this.machine = machineTicks();
    this.counts = new Map(this.pids().map((pid) => [pid, processTicks(pid)]));
  }

  read(): CpuShare {
    const now = machineTicks();
    const elapsedCore = (now.total - this.machine.total) / os.cpus().length;
    const busy = now.busy - this.machine.busy;
    const delta = (pid: number) => processTicks(pid) - (this.counts.get(pid) ?? processTicks(pid));
    const ours = this.ours().reduce((sum, pid) => sum + delta(pid), 0);
    const db = this.dbPid ? delta(this.dbPid) : 0;
    const pct = (ticks: number) => (elapsedCore > 0 ? (ticks / elapsedCore) * 100 : 0);
    const server = this.focus ? pct(delta(this.focus)) : 0;
    return { ours: pct(ours), server, db: pct(db), others: Math.max(0, pct(busy - ours - db)) };
  }
}

/**
 * Waits until other processes use less than `maxOthers`% of a core over a 3-second window, up
 * to `timeoutSeconds`. Returns the last reading.
 */
export async function waitForQuiet(
  ours: () => number[],
  dbPid: number | null,
  maxOthers: number,
  timeoutSeconds: number,
): Promise<{ others: number; waited: number }> {
  const started = Date.now();
  for (;;) {
    const meter = new CpuMeter(ours, dbPid);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { others, db } = meter.read();
    // The database is quiet too when nothing of ours runs: count its use as others' here.
    const load = others + db;
    const waited = (Date.now() - started) / 1000;
    if (load < maxOthers || waited >= timeoutSeconds) return { others: load, waited };
  }
}
