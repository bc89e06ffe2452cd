import type { Deps } from "../deps";
import type { Logger } from "../logger";
import { queueDispatcher } from "./dispatcher";
import { settlesWithin } from "./queue";

/**
 * "start": the first pass of a process, which also catches up what was missed while no process
 * ran. "periodic": every RECONCILE_INTERVAL_MS after it, which must stay cheap.
 */
export type ReconcilePass = "start" | "periodic";

/** What a step sees: the process's dependencies and the instant of this pass. */
export type ReconcileContext = Deps & {
  now: Date;
  /** "start" when absent. */
  pass?: ReconcilePass;
  /**
   * Periodic passes re-queue timed work due before this (two intervals ahead), so work whose
   * delayed job a Redis restart lost is queued again before it is due; the start pass (no
   * horizon) queues all.
   */
  horizon?: Date | null;
};

/** Re-enqueues one feature's due or pending work from the database; returns how many jobs. */
export interface ReconcileStep {
  name: string;
  run(context: ReconcileContext): Promise<number>;
}

/**
 * The database is the source of truth for scheduled and owed work: this puts back on the queue
 * whatever a restart, a killed worker or a Redis loss dropped, and re-creates the recurring
 * schedules. It runs when a process that works jobs starts, then periodically; several processes
 * may run it at once, so steps must be idempotent (deterministic job ids make a second enqueue
 * harmless). Steps queue without the outbox: what they would keep there, the next pass re-queues.
 */
export class Reconciler {
  private readonly steps: ReconcileStep[] = [];
  private loop: { stopped: boolean; cancel: () => void; pass: Promise<unknown> } | null = null;

  constructor(private readonly logger: Logger) {}

  register(step: ReconcileStep): void {
    if (this.steps.some((existing) => existing.name === step.name)) {
      throw new Error(`Reconcile step "${step.name}" is registered twice`);
    }
    this.steps.push(step);
  }

  async run(
    deps: Deps,
    pass: ReconcilePass = "start",
    intervalMs = deps.config.RECONCILE_INTERVAL_MS,
  ): Promise<Record<string, number>> {
    const timeoutMs = deps.config.JOB_DISPATCH_TIMEOUT_MS;
    // With the queue away nothing can be put back; the next pass tries again.
    if (!(await answers(deps.queue.ping(), timeoutMs))) {
      this.logger.warn({ pass }, "reconcile pass skipped: the job queue is unreachable");
      return {};
    }
    const now = deps.clock.now();
    const context: ReconcileContext = {
      ...deps,
      jobs: queueDispatcher(deps.queue, { timeoutMs, logger: this.logger, clock: deps.clock }),
      now,
      pass,
      horizon: pass === "start" ? null : new Date(now.getTime() + 2 * intervalMs),
    };
    const results: Record<string, number> = {};
    for (const step of this.steps) {
      // One failing feature must not keep the others' work from being rebuilt.
      try {
        results[step.name] = await step.run(context);
      } catch (err) {
        this.logger.error({ err, step: step.name, pass }, "reconcile step failed");
        results[step.name] = -1;
      }
    }
    if (pass === "start") this.logger.info({ results }, "reconciled scheduled work");
    else this.logger.debug({ results }, "reconciled scheduled work");
    return results;
  }

  /** Runs the start pass, then a periodic pass every `intervalMs` after each ends, until stop(). */
  async start(deps: Deps, intervalMs = deps.config.RECONCILE_INTERVAL_MS) {
    const results = await this.run(deps, "start", intervalMs);
    const loop = { stopped: false, cancel: () => {}, pass: Promise.resolve() as Promise<unknown> };
    const next = () => {
      loop.cancel = deps.clock.at(deps.clock.nowMs() + intervalMs, () => {
        if (loop.stopped) return;
        loop.pass = this.run(deps, "periodic", intervalMs)
          .catch((err: unknown) => this.logger.error({ err }, "reconcile pass failed"))
          .finally(() => {
            if (!loop.stopped) next();
          });
      });
    };
    next();
    this.loop = loop;
    return results;
  }

  /** Stops the periodic passes; waits (up to `timeoutMs`) for one in progress. */
  async stop(timeoutMs = 5000): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    loop.stopped = true;
    loop.cancel();
    await settlesWithin(loop.pass, timeoutMs);
    this.loop = null;
  }
}

/** Whether `work` resolves (not rejects) within `ms`. */
async function answers(work: Promise<unknown>, ms: number): Promise<boolean> {
  const result = work.then(
    () => true,
    () => false,
  );
  return (await settlesWithin(result, ms)) && result;
}
