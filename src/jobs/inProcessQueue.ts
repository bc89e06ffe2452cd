import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { CronExpressionParser } from "cron-parser";
import { systemClock, type Clock } from "../lib/clock";
import type { Logger } from "../logger";
import {
  assertJobId,
  backoffDelay,
  delayOf,
  JobDeferred,
  maxVisitorYieldMs,
  retryPolicy,
  settlesWithin,
  type CloseOptions,
  type EnqueueOptions,
  type JobQueue,
  type JobSpec,
  type JobState,
  type QueueName,
  type Repeat,
  type RetryPolicy,
  type RunnableJob,
} from "./queue";

interface Job {
  id: string;
  queue: QueueName;
  name: string;
  payload: unknown;
  retry: RetryPolicy;
  attemptsMade: number;
  state: JobState;
  cancelTimer?: () => void;
  finishedAt?: number;
}

interface Schedule {
  repeat: Repeat;
  job: JobSpec;
  payload: unknown;
  cancelTimer?: () => void;
}

/** How often a yielding job looks again for a moment without requests. */
const visitorPollMs = 5;

/** Finished jobs are kept this long (and at most this many) so a repeated id stays a no-op. */
const finishedRetentionMs = 60 * 60 * 1000;
const finishedRetentionCount = 1000;

/**
 * Runs jobs inside this process: the embedded mode's driver. The database stays the source of
 * truth for scheduled work, so what is lost on a restart is re-enqueued by the reconciler.
 */
export class InProcessQueue implements JobQueue {
  readonly driver = "in-process" as const;
  private readonly handlers = new Map<string, RunnableJob>();
  private readonly jobs = new Map<string, Job>();
  private readonly waiting = new Map<QueueName, Job[]>();
  private readonly active = new Map<QueueName, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly schedules = new Map<string, Schedule>();
  /** Keys of finished jobs, oldest first. */
  private readonly finished: string[] = [];
  private concurrency = 1;
  private started = false;
  private closed = false;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
    /** Whether this process is serving a request (requestTiming.ts); a yielding job waits. */
    private readonly busyWithVisitors: () => boolean = () => false,
  ) {}

  register(job: RunnableJob): void {
    this.handlers.set(`${job.queue}|${job.name}`, job);
  }

  async startWorkers(options: { concurrency?: number } = {}): Promise<void> {
    this.concurrency = options.concurrency ?? this.concurrency;
    this.started = true;
    for (const queue of this.waiting.keys()) this.pump(queue);
  }

  async enqueue(spec: JobSpec, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    if (this.closed) throw new Error("The job queue is closed");
    const id = options.jobId ?? randomUUID();
    assertJobId(id);
    const key = `${spec.queue}|${id}`;
    if (this.jobs.has(key)) return id;
    const job: Job = {
      id,
      queue: spec.queue,
      name: spec.name,
      payload: structuredClone(payload),
      retry: retryPolicy(spec, options.retry),
      attemptsMade: 0,
      state: "waiting",
    };
    this.jobs.set(key, job);
    this.later(job, delayOf(options, this.clock.nowMs()));
    return id;
  }

  async schedule(
    scheduleId: string,
    repeat: Repeat,
    spec: JobSpec,
    payload: unknown,
  ): Promise<void> {
    assertJobId(scheduleId);
    const existing = this.schedules.get(scheduleId);
    if (existing && sameSchedule(existing, { repeat, job: spec, payload })) return;
    await this.unschedule(scheduleId);
    const schedule: Schedule = { repeat, job: spec, payload };
    this.schedules.set(scheduleId, schedule);
    this.arm(scheduleId, schedule);
  }

  async unschedule(scheduleId: string): Promise<void> {
    this.schedules.get(scheduleId)?.cancelTimer?.();
    this.schedules.delete(scheduleId);
  }

  async scheduleIds(): Promise<string[]> {
    return [...this.schedules.keys()].sort();
  }

  async state(queue: QueueName, jobId: string): Promise<JobState> {
    return this.jobs.get(`${queue}|${jobId}`)?.state ?? "unknown";
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("The job queue is closed");
  }

  async close(options: CloseOptions = {}): Promise<void> {
    this.closed = true;
    this.started = false;
    this.shutdown.abort();
    for (const schedule of this.schedules.values()) schedule.cancelTimer?.();
    for (const job of this.jobs.values()) job.cancelTimer?.();
    // Waiting jobs are dropped: the reconciler rebuilds due work from the database on start.
    const running = Promise.allSettled([...this.running]);
    if (options.timeoutMs === undefined) await running;
    else if (!(await settlesWithin(running, options.timeoutMs)))
      this.logger.warn({ jobs: this.running.size }, "jobs still running at the close deadline");
  }

  private arm(scheduleId: string, schedule: Schedule): void {
    const now = this.clock.nowMs();
    const next =
      "everyMs" in schedule.repeat
        ? now + schedule.repeat.everyMs
        : CronExpressionParser.parse(schedule.repeat.cron, {
            currentDate: new Date(now),
            tz: schedule.repeat.timeZone ?? "UTC",
          })
            .next()
            .getTime();
    schedule.cancelTimer = this.clock.at(next, () => {
      if (this.closed || this.schedules.get(scheduleId) !== schedule) return;
      // One id per occurrence, so an occurrence can never run twice.
      void this.enqueue(schedule.job, schedule.payload, { jobId: `${scheduleId}-${next}` });
      this.arm(scheduleId, schedule);
    });
  }

  private later(job: Job, delayMs: number, timer: Clock = this.clock): void {
    if (delayMs <= 0) {
      job.state = "waiting";
      this.push(job);
      return;
    }
    job.state = "delayed";
    job.cancelTimer = timer.at(timer.nowMs() + delayMs, () => {
      job.cancelTimer = undefined;
      job.state = "waiting";
      this.push(job);
    });
  }

  private push(job: Job): void {
    const list = this.waiting.get(job.queue) ?? [];
    list.push(job);
    this.waiting.set(job.queue, list);
    this.pump(job.queue);
  }

  private pump(queue: QueueName): void {
    const list = this.waiting.get(queue) ?? [];
    while (this.started && list.length > 0 && (this.active.get(queue) ?? 0) < this.concurrency) {
      const job = list.shift() as Job;
      const run = this.run(job).finally(() => {
        this.running.delete(run);
        this.active.set(queue, (this.active.get(queue) ?? 1) - 1);
        this.pump(queue);
      });
      this.active.set(queue, (this.active.get(queue) ?? 0) + 1);
      this.running.add(run);
    }
  }

  private async run(job: Job): Promise<void> {
    const handler = this.handlers.get(`${job.queue}|${job.name}`);
    job.state = "active";
    job.attemptsMade += 1;
    try {
      if (!handler) throw new Error(`No job "${job.name}" is registered on queue "${job.queue}"`);
      if (handler.yieldsToVisitors) await this.afterVisitors();
      await handler.perform(structuredClone(job.payload), {
        id: job.id,
        queue: job.queue,
        name: job.name,
        attempt: job.attemptsMade,
        signal: this.shutdown.signal,
      });
      this.finish(job, "completed");
    } catch (error) {
      if (error instanceof JobDeferred) {
        // Not a failure: the same job again later, with the attempt given back.
        job.attemptsMade -= 1;
        this.later(job, Math.max(0, error.runAt.getTime() - this.clock.nowMs()));
        return;
      }
      const log = {
        err: error,
        queue: job.queue,
        job: job.name,
        jobId: job.id,
        attempt: job.attemptsMade,
      };
      if (job.attemptsMade < job.retry.attempts && !this.closed) {
        this.logger.warn(log, "job failed; will retry");
        // Backoff is the queue's own pause, in real time as BullMQ keeps it, not business time:
        // on a fixed test clock a retry would otherwise wait forever.
        this.later(job, backoffDelay(job.retry, job.attemptsMade), systemClock);
      } else {
        this.logger.error(log, "job failed for good");
        this.finish(job, "failed");
      }
    }
  }

  /** Until no request is in flight, or maxVisitorYieldMs (real time: it paces this process). */
  private async afterVisitors(): Promise<void> {
    const started = performance.now();
    while (
      this.busyWithVisitors() &&
      !this.closed &&
      performance.now() - started < maxVisitorYieldMs
    )
      await new Promise((resolve) => setTimeout(resolve, visitorPollMs));
  }

  private finish(job: Job, state: "completed" | "failed"): void {
    job.state = state;
    job.finishedAt = this.clock.nowMs();
    job.payload = undefined;
    this.finished.push(`${job.queue}|${job.id}`);
    const cutoff = this.clock.nowMs() - finishedRetentionMs;
    while (this.finished.length > 0) {
      const oldest = this.jobs.get(this.finished[0] as string);
      const expired = !oldest || (oldest.finishedAt ?? 0) < cutoff;
      if (!expired && this.finished.length <= finishedRetentionCount) break;
      this.jobs.delete(this.finished.shift() as string);
    }
  }
}

function sameSchedule(a: Schedule, b: Schedule): boolean {
  return (
    JSON.stringify(a.repeat) === JSON.stringify(b.repeat) &&
    a.job.queue === b.job.queue &&
    a.job.name === b.job.name &&
    JSON.stringify(a.payload) === JSON.stringify(b.payload)
  );
}
