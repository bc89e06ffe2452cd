import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";

/**
 * The request's own scope, kept in an AsyncLocalStorage so code deep in a command needs no request
 * handle: timing for the Server-Timing header — database time and statements (every
 * `sequelize.query`, see db/connection.ts), template rendering (views.ts) and the total — and the
 * session store's read, handed to the context loader. Durations use
 * performance.now() (a monotonic time-of-day), never the injected clock: they measure this
 * process, not the business's "now".
 */
export interface RequestTiming {
  startedAt: number;
  /** Statements sent to the database so far. */
  statements: number;
  /** Milliseconds with at least one statement in flight (overlapping statements count once). */
  dbMs: number;
  inFlight: number;
  inFlightSince: number;
  renderMs: number;
  /**
   * What the session store read for this request (its row with the user's context rows), left for
   * sessionContext (tenancy/context.ts) so the context needs no statement of its own.
   */
  sessionRead?: unknown;
}

const storage = new AsyncLocalStorage<RequestTiming>();

let requestsInFlight = 0;

/**
 * Whether this process is working on a request right now: one has started and its response head
 * is not written yet (a page's work is done before its head; a live stream that stays open after
 * its head, or a visitor who went away, no longer counts). Background work that may wait yields
 * to it (jobs/queue.ts).
 */
export function servingRequests(): boolean {
  return requestsInFlight > 0;
}

/** The timing of the request being served, if any (jobs and scripts have none). */
export function currentTiming(): RequestTiming | undefined {
  return storage.getStore();
}

/** Marks a statement sent; call the returned function once it has answered (or failed). */
export function statementStarted(): () => void {
  const timing = storage.getStore();
  if (!timing) return noop;
  timing.statements += 1;
  if (timing.inFlight++ === 0) timing.inFlightSince = performance.now();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--timing.inFlight === 0) timing.dbMs += performance.now() - timing.inFlightSince;
  };
}

/** Marks a template render started; call the returned function when it has finished. */
export function renderStarted(): () => void {
  const timing = storage.getStore();
  if (!timing) return noop;
  const started = performance.now();
  return () => {
    timing.renderMs += performance.now() - started;
  };
}

function noop(): void {}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The header value, e.g. `db;dur=1.2;desc="2 statements", render;dur=0.8, total;dur=3.4`. */
export function serverTimingHeader(timing: RequestTiming, now = performance.now()): string {
  const db = timing.dbMs + (timing.inFlight > 0 ? now - timing.inFlightSince : 0);
  const statements = `${timing.statements} statement${timing.statements === 1 ? "" : "s"}`;
  return (
    `db;dur=${round(db)};desc="${statements}", ` +
    `render;dur=${round(timing.renderMs)}, total;dur=${round(now - timing.startedAt)}`
  );
}

type WriteHead = ServerResponse["writeHead"];

/**
 * Middleware, first in the chain: runs the rest of the request inside its timing and adds the
 * Server-Timing header when the response head is written (after rendering, and after the session's
 * own write, which the response waits for).
 */
export function requestTiming(_req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const timing: RequestTiming = {
    startedAt: performance.now(),
    statements: 0,
    dbMs: 0,
    inFlight: 0,
    inFlightSince: 0,
    renderMs: 0,
  };
  requestsInFlight += 1;
  let serving = true;
  const served = () => {
    if (!serving) return;
    serving = false;
    requestsInFlight -= 1;
  };
  // "close" comes once, after the response finished or the client went away.
  res.once("close", served);
  const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
  res.writeHead = function timedWriteHead(this: ServerResponse, ...args: unknown[]) {
    served();
    if (!this.headersSent) {
      const value = serverTimingHeader(timing);
      // writeHead(status, headers) with headers given inline: they win over setHeader, so the
      // header goes there too.
      const inline = args.find((a, i) => i > 0 && typeof a === "object" && a !== null);
      if (inline && !Array.isArray(inline))
        (inline as OutgoingHttpHeaders)["Server-Timing"] = value;
      else this.setHeader("Server-Timing", value);
    }
    return writeHead.apply(this, args);
  } as WriteHead;
  storage.run(timing, next);
}

/** Reads a Server-Timing header back (tests, the benchmark). */
export function parseServerTiming(
  header: string | undefined | null,
): Record<string, { dur?: number; desc?: string }> {
  const metrics: Record<string, { dur?: number; desc?: string }> = {};
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().split(";");
    if (!name) continue;
    const metric: { dur?: number; desc?: string } = {};
    for (const param of params) {
      const eq = param.indexOf("=");
      const key = param.slice(0, eq).trim();
      const value = param
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, "");
      if (key === "dur") metric.dur = Number(value);
      else if (key === "desc") metric.desc = value;
    }
    metrics[name.trim()] = metric;
  }
  return metrics;
}

/**
 * Runs `work` outside the request's scope: background work it starts (a job the in-process queue
 * runs at once) is then not timed or counted as the request's own statements.
 */
export function outsideRequest<T>(work: () => T): T {
  return storage.exit(work);
}
