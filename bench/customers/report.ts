import { int, ms, say, table } from "../lib/format";
import { settings, targets, type Measured } from "./settings";

/** The customers benchmark's table of results, its explanation and the targets missed. */
function verdict(m: Measured, baseline: number): { target: string; pass: boolean | null } {
  const t = targets[m.kind];
  const parts = [
    t.minRatio !== undefined ? `>=${t.minRatio}x` : "",
    t.maxP99 !== undefined ? `p99<=${t.maxP99}` : "",
    t.max1cP95 !== undefined ? `1c p95<=${t.max1cP95}` : "",
  ].filter(Boolean);
  const target = parts.join(", ");
  if (parts.length === 0) return { target, pass: null };
  if (m.error || !m.load || m.load.bad > 0) return { target, pass: false };
  const checks = [
    t.minRatio === undefined || m.load.reqPerSec / baseline >= t.minRatio,
    t.maxP99 === undefined || m.load.p99 <= t.maxP99,
    t.max1cP95 === undefined || (m.serverTime !== undefined && m.serverTime.p95 <= t.max1cP95),
  ];
  return { target, pass: checks.every(Boolean) };
}

/** The measured server's CPU per request, in ms: a figure other processes move little. */
function cpuPerRequest(m: Measured): number | undefined {
  if (!m.load || !m.cpu || m.load.requests === 0) return undefined;
  return ((m.cpu.server / 100) * settings.duration * 1000) / m.load.requests;
}

export function pct(value: number | undefined): string {
  return value === undefined ? "" : `${Math.round(value)}%`;
}

export function report(measured: Measured[]): string[] {
  const first = measured.find((m) => m.kind === "baseline");
  const baseline = first?.load?.reqPerSec ?? Number.NaN;
  const baselineCpu = first ? cpuPerRequest(first) : undefined;
  const rows = measured.map((m) => {
    const v = verdict(m, baseline);
    const load = m.load;
    const server = load?.server;
    const cpu = cpuPerRequest(m);
    const result = m.error
      ? "ERROR"
      : load && load.bad > 0
        ? `INVALID (${load.bad} not 2xx)`
        : v.pass === null
          ? ""
          : v.pass
            ? "pass"
            : "FAIL";
    return [
      m.name,
      load ? int(load.reqPerSec) : "–",
      load ? ms(load.p50) : "–",
      load ? ms(load.p95) : "–",
      load ? ms(load.p99) : "–",
      load ? (load.reqPerSec / baseline).toFixed(2) : "–",
      server ? ms(server.total.p50) : "",
      server ? ms(server.total.p95) : "",
      server ? ms(server.db.p50) : "",
      server ? String(server.statements) : "",
      m.serverTime ? ms(m.serverTime.p50) : "",
      m.serverTime ? ms(m.serverTime.p95) : "",
      cpu !== undefined ? ms(cpu) : "",
      cpu !== undefined && baselineCpu !== undefined ? (baselineCpu / cpu).toFixed(2) : "",
      pct(m.cpu?.server),
      pct(m.cpu?.db),
      pct(m.cpu?.others),
      v.target,
      result,
    ];
  });
  say(
    table(
      [
        "scenario",
        "req/s",
        "p50",
        "p95",
        "p99",
        "x base",
        "srv p50",
        "srv p95",
        "db p50",
        "stmts",
        "1c p50",
        "1c p95",
        "cpu/req",
        "cpu x",
        "srv cpu",
        "db cpu",
        "other cpu",
        "target",
        "result",
      ],
      rows,
      "lrrrrrrrrrrrrrrrrll",
    ),
  );
  say();
  say(
    `req/s, p50, p95, p99: ${settings.connections} connections, ${settings.duration} s measured after ${settings.warmup} s warm-up. ` +
      `x base: req/s over the first baseline's.`,
  );
  say(
    "srv p50/p95, db p50, stmts: the app's own Server-Timing under that load (total from its first middleware to the " +
      "response head; time with a statement in flight; statements per page): latency minus these is queueing.",
  );
  say(
    `1c p50/p95: the same page at 1 connection (${settings.serverTimeDuration} s): with nothing queued, the server time of one request.`,
  );
  say(
    "cpu/req: the server's CPU per request during the 50-connection run; cpu x: the baseline's over the page's, " +
      "what x base would be if the app had a core to itself (less moved by other processes than req/s).",
  );
  say(
    "srv / db / other cpu: % of one core used during the 50-connection run by the server measured (app or baseline; " +
      "100% = its one Node thread is saturated), by the database server, and by processes other than the servers, " +
      "the load generator and the database (others' tests and builds: a large figure makes the run noisy).",
  );
  for (const m of measured) {
    const detail = m.error ? `ERROR: ${m.error}` : (m.note ?? "");
    const shownPath = m.path.length > 70 ? `${m.path.slice(0, 67)}...` : m.path;
    say(`  ${m.name}: ${shownPath}  ${detail}`);
  }
  return measured.filter((m) => verdict(m, baseline).pass === false).map((m) => m.name);
}
