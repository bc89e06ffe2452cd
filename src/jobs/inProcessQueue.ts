import { randomUUID } from "node:crypto";
import { CronExpressionParser } from "cron-parser";
import type { Logger } from "../logger";
import {
  assertJobId,
  backoffDelay,
  delayOf,
  retryPolicy,
  type AnyTask,
  type EnqueueOptions,
  type JobQueue,
  type JobState,
  type QueueName,
  type Repeat,
  type RetryPolicy,
  type TaskDefinition,
} from "./queue";

interface Job {
  id: string;
  queue: QueueName;
  name: string;
  payload: unknown;
  retry: RetryPolicy;
  attemptsMade: number;
  state: JobState;
  timer?: NodeJS.Timeout;
  finishedAt?: number;
}

interface Schedule {
  repeat: Repeat;
  task: AnyTask;
  payload: unknown;
  timer?: NodeJS.Timeout;
}

/** Finished jobs are kept this long (and at most this many) so a repeated id stays a no-op. */
const finishedRetentionMs = 60 * 60 * 1000;
const finishedRetentionCount = 1000;
const maxTimerMs = 2 ** 31 - 1;

/**
 * Runs jobs inside this process: the embedded mode's driver. The database stays the source of
 * truth for scheduled work, so what is lost on a restart is re-enqueued by the reconciler.
 */
export class InProcessQueue implements JobQueue {
  readonly driver = "in-process" as const;
  private readonly tasks = new Map<string, AnyTask>();
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

  constructor(private readonly logger: Logger) {}

  register(task: AnyTask): void {
    this.tasks.set(`${task.queue}|${task.name}`, task);
  }

  async startWorkers(options: { concurrency?: number } = {}): Promise<void> {
    this.concurrency = options.concurrency ?? this.concurrency;
    this.started = true;
    for (const queue of this.waiting.keys()) this.pump(queue);
  }

  async enqueue<P>(
    task: TaskDefinition<P>,
    payload: P,
    options: EnqueueOptions = {},
  ): Promise<string> {
    if (this.closed) throw new Error("The job queue is closed");
    const id = options.jobId ?? randomUUID();
    assertJobId(id);
    const key = `${task.queue}|${id}`;
    if (this.jobs.has(key)) return id;
    const job: Job = {
      id,
      queue: task.queue,
      name: task.name,
      payload: structuredClone(payload),
      retry: retryPolicy(task, options.retry),
      attemptsMade: 0,
      state: "waiting",
    };
    this.jobs.set(key, job);
    this.later(job, delayOf(options));
    return id;
  }

  async schedule<P>(
    scheduleId: string,
    repeat: Repeat,
    task: TaskDefinition<P>,
    payload: P,
  ): Promise<void> {
    assertJobId(scheduleId);
    await this.unschedule(scheduleId);
    const schedule: Schedule = { repeat, task, payload };
    this.schedules.set(scheduleId, schedule);
    this.arm(scheduleId, schedule);
  }

  async unschedule(scheduleId: string): Promise<void> {
    const existing = this.schedules.get(scheduleId);
    if (existing?.timer) clearTimeout(existing.timer);
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

  async close(): Promise<void> {
    this.closed = true;
    this.started = false;
    for (const schedule of this.schedules.values())
      if (schedule.timer) clearTimeout(schedule.timer);
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    // Waiting jobs are dropped: the reconciler rebuilds due work from the database on start.
    await Promise.allSettled([...this.running]);
  }

  private arm(scheduleId: string, schedule: Schedule): void {
    const now = Date.now();
    const next =
      "everyMs" in schedule.repeat
        ? now + schedule.repeat.everyMs
        : CronExpressionParser.parse(schedule.repeat.cron, {
            currentDate: new Date(now),
            tz: schedule.repeat.timeZone ?? "UTC",
          })
            .next()
            .getTime();
    this.waitUntil(next, schedule, () => {
      if (this.closed || this.schedules.get(scheduleId) !== schedule) return;
      // One id per occurrence, so an occurrence can never run twice.
      void this.enqueue(schedule.task, schedule.payload, { jobId: `${scheduleId}-${next}` });
      this.arm(scheduleId, schedule);
    });
  }

  /** setTimeout overflows past ~24.8 days and fires at once; longer waits go in steps. */
  private waitUntil(time: number, holder: { timer?: NodeJS.Timeout }, fire: () => void): void {
    const remaining = time - Date.now();
    const step = Math.min(Math.max(remaining, 0), maxTimerMs);
    holder.timer = setTimeout(() => {
      if (time - Date.now() > 0 && step === maxTimerMs) this.waitUntil(time, holder, fire);
      else fire();
    }, step);
    holder.timer.unref();
  }

  private later(job: Job, delayMs: number): void {
    if (delayMs <= 0) {
      job.state = "waiting";
      this.push(job);
      return;
    }
    job.state = "delayed";
    this.waitUntil(Date.now() + delayMs, job, () => {
      job.timer = undefined;
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
    const task = this.tasks.get(`${job.queue}|${job.name}`);
    job.state = "active";
    job.attemptsMade += 1;
    try {
      if (!task) throw new Error(`No task "${job.name}" is registered on queue "${job.queue}"`);
      await task.perform(structuredClone(job.payload), {
        id: job.id,
        queue: job.queue,
        name: job.name,
        attempt: job.attemptsMade,
      });
      this.finish(job, "completed");
    } catch (error) {
      const log = {
        err: error,
        queue: job.queue,
        job: job.name,
        jobId: job.id,
        attempt: job.attemptsMade,
      };
      if (job.attemptsMade < job.retry.attempts && !this.closed) {
        this.logger.warn(log, "job failed; will retry");
        this.later(job, backoffDelay(job.retry, job.attemptsMade));
      } else {
        this.logger.error(log, "job failed for good");
        this.finish(job, "failed");
      }
    }
  }

  private finish(job: Job, state: "completed" | "failed"): void {
    job.state = state;
    job.finishedAt = Date.now();
    job.payload = undefined;
    this.finished.push(`${job.queue}|${job.id}`);
    const cutoff = Date.now() - finishedRetentionMs;
    while (this.finished.length > 0) {
      const oldest = this.jobs.get(this.finished[0] as string);
      const expired = !oldest || (oldest.finishedAt ?? 0) < cutoff;
      if (!expired && this.finished.length <= finishedRetentionCount) break;
      this.jobs.delete(this.finished.shift() as string);
    }
  }
}
