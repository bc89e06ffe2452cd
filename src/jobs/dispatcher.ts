import { randomUUID } from "node:crypto";
import { AppError } from "../errors";
import { systemClock, type Clock } from "../lib/clock";
import type { Logger } from "../logger";
import { jobSpec, type JobName, type JobPayloads } from "./catalog";
import type { JobOutbox, OutboxEntry } from "./outbox";
import {
  assertJobId,
  delayOf,
  settlesWithin,
  type EnqueueOptions,
  type JobQueue,
  type JobState,
  type Repeat,
} from "./queue";

/**
 * How commands ask for background work: by job name, with the typed payload. The one small
 * interface between commands and the queue (commands never see handlers).
 */
export interface Jobs {
  /**
   * Queues the job; returns its id. Call after the transaction that made it owed commits. When the
   * queue cannot take it in time (Redis down), the job is kept in the outbox under the same id and
   * handed over by the next reconcile pass; when that fails too, an AppError
   * "service_unavailable" (503) — the job then was not queued at all.
   */
  dispatch<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string>;
  /**
   * Queues work the database already records as owed (an import's status, a lease), which the
   * reconciler re-queues from that record: so no outbox, and no error when the queue is away
   * (null; logged). When the queue still keeps a finished job under `jobId` — which would make the
   * add a no-op while the work is owed — the first of `<jobId>-r2`, `-r3`… that it does not keep
   * is used instead: the same one in every process.
   */
  dispatchOwed<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: EnqueueOptions & { jobId: string },
  ): Promise<string | null>;
  /** Creates or replaces a recurring schedule (idempotent by id). */
  schedule<N extends JobName>(
    scheduleId: string,
    repeat: Repeat,
    name: N,
    payload: JobPayloads[N],
  ): Promise<void>;
  state(name: JobName, jobId: string): Promise<JobState>;
}

export interface DispatcherOptions {
  /** Where a job goes when the queue cannot take it; without one, dispatch fails with 503. */
  outbox?: JobOutbox;
  /** Longest wait for the queue (JOB_DISPATCH_TIMEOUT_MS). */
  timeoutMs?: number;
  logger?: Logger;
  /** Turns a delay into the time kept in the outbox. */
  clock?: Clock;
}

export const defaultDispatchTimeoutMs = 2000;
const unavailable = "Background work cannot be queued right now. Please try again in a minute.";
/** Finished ids skipped before dispatchOwed gives up (each was a job that ran out of attempts). */
const maxOwedVariants = 10;

export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super("The job queue did not answer in time", { cause });
    this.name = "QueueUnavailableError";
  }
}

/** The queue's answer within `ms` (real time: it bounds a network wait), else QueueUnavailable. */
async function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  // A late rejection must not surface as unhandled once the wait has been given up.
  work.catch(() => undefined);
  if (!(await settlesWithin(work, ms))) throw new QueueUnavailableError("timeout");
  return work;
}

export function queueDispatcher(queue: JobQueue, options: DispatcherOptions = {}): Jobs {
  const timeoutMs = options.timeoutMs ?? defaultDispatchTimeoutMs;
  const clock = options.clock ?? systemClock;
  const { logger, outbox } = options;
  const enqueue = (name: JobName, payload: unknown, enqueueOptions: EnqueueOptions) =>
    bounded(queue.enqueue(jobSpec(name), payload, enqueueOptions), timeoutMs);
  const state = (name: JobName, jobId: string) =>
    bounded(queue.state(jobSpec(name).queue, jobId), timeoutMs);

  /** The first id of the series that the queue does not keep as finished. */
  async function owedId(name: JobName, jobId: string): Promise<string> {
    for (let n = 1; n <= maxOwedVariants; n++) {
      const id = n === 1 ? jobId : `${jobId}-r${n}`;
      const current = await state(name, id);
      if (current !== "completed" && current !== "failed") return id;
    }
    throw new Error(`Job ${jobId}: ${maxOwedVariants} finished runs and the work is still owed`);
  }

  return {
    async dispatch(name, payload, enqueueOptions = {}) {
      // Chosen before the first attempt, so the outbox hands over the same job.
      const jobId = enqueueOptions.jobId ?? randomUUID();
      assertJobId(jobId);
      try {
        return await enqueue(name, payload, { ...enqueueOptions, jobId });
      } catch (error) {
        if (!outbox) throw new AppError("service_unavailable", unavailable, { job: name });
        const entry: OutboxEntry = {
          name,
          jobId,
          payload,
          runAt: new Date(clock.nowMs() + delayOf(enqueueOptions, clock.nowMs())),
          retry: enqueueOptions.retry,
        };
        try {
          await outbox.save(entry);
        } catch (saveError) {
          logger?.error({ err: saveError, job: name, jobId }, "job neither queued nor kept");
          throw new AppError("service_unavailable", unavailable, { job: name });
        }
        logger?.warn({ err: error, job: name, jobId }, "queue unavailable; job kept in the outbox");
        return jobId;
      }
    },

    async dispatchOwed(name, payload, enqueueOptions) {
      assertJobId(enqueueOptions.jobId);
      try {
        const jobId = await owedId(name, enqueueOptions.jobId);
        return await enqueue(name, payload, { ...enqueueOptions, jobId });
      } catch (error) {
        logger?.warn(
          { err: error, job: name, jobId: enqueueOptions.jobId },
          "owed job not queued; the reconciler queues it later",
        );
        return null;
      }
    },

    schedule: (scheduleId, repeat, name, payload) =>
      bounded(queue.schedule(scheduleId, repeat, jobSpec(name), payload), timeoutMs),
    state,
  };
}

/** Hands the outbox's jobs to the queue (each bounded like a dispatch); returns how many. */
export function flushOutbox(
  outbox: JobOutbox,
  queue: JobQueue,
  options: { timeoutMs?: number; logger: Logger },
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? defaultDispatchTimeoutMs;
  return outbox.flush(
    (entry) =>
      bounded(
        queue.enqueue(jobSpec(entry.name), entry.payload, {
          jobId: entry.jobId,
          runAt: entry.runAt ?? undefined,
          retry: entry.retry,
        }),
        timeoutMs,
      ),
    options.logger,
  );
}
