/**
 * The job queue contract. Two drivers implement it — BullMQ (Redis) and in-process — and one
 * shared contract suite (queue.contract.ts) proves they behave alike.
 */

/** Every named queue. Names are stable: they are Redis keys in production. */
// "webhooks": slow receivers (up to WEBHOOK_TIMEOUT_MS each) must not hold up other work.
// "campaigns": a campaign's batches run for seconds each at the provider's rate.
// "forms": a burst of public submissions queues thousands of follow-ups; other work must not
// wait behind them.
export const queueNames = [
  "housekeeping",
  "mail",
  "default",
  "imports",
  "webhooks",
  "campaigns",
  "forms",
] as const;
export type QueueName = (typeof queueNames)[number];

export interface RetryPolicy {
  /** Total tries including the first. */
  attempts: number;
  /** First retry waits this long; each further retry waits twice as long as the one before. */
  backoffMs: number;
}

/** What a driver needs to put a job on its queue. */
export interface JobSpec {
  queue: QueueName;
  /** Unique within its queue. */
  name: string;
  retry?: Partial<RetryPolicy>;
  /**
   * Work that visitors are not waiting for, owed and recorded in the database: where jobs run in
   * the web process (the in-process queue), it starts only when no request is being served, or
   * after `maxVisitorYieldMs` — so a burst of requests gets the CPU first and this catches up
   * after it. Separate workers (BullMQ) run it as any job.
   */
  yieldsToVisitors?: boolean;
}

/** Longest a yielding job waits for a moment with no request in flight. */
export const maxVisitorYieldMs = 1000;

/** A job a driver can run: its spec and the handler, already bound to its dependencies. */
export interface RunnableJob extends JobSpec {
  /** Payloads hold ids and plain JSON only; the handler loads the rest from the database. */
  perform(payload: unknown, job: JobInfo): Promise<void>;
}

export interface JobInfo {
  id: string;
  queue: QueueName;
  name: string;
  /** 1 on the first try. */
  attempt: number;
  /**
   * Aborted when this process starts shutting down: a long job stops at its next checkpoint,
   * releases what it holds and leaves the rest to another run.
   */
  signal: AbortSignal;
}

export interface EnqueueOptions {
  /**
   * Deterministic id: a second enqueue with the same id while the first is waiting, delayed,
   * active or recently completed is ignored. Must not contain ":".
   */
  jobId?: string;
  /** Run after this many milliseconds… */
  delayMs?: number;
  /** …or at this time (whichever is given; runAt wins). */
  runAt?: Date;
  retry?: Partial<RetryPolicy>;
}

export type Repeat = { everyMs: number } | { cron: string; timeZone?: string };

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed" | "unknown";

export interface JobQueue {
  readonly driver: "bullmq" | "in-process";
  /** Makes a job runnable by this process's workers. */
  register(job: RunnableJob): void;
  /** Starts pulling the registered jobs; without it this process only enqueues. */
  startWorkers(options?: { concurrency?: number }): Promise<void>;
  enqueue(job: JobSpec, payload: unknown, options?: EnqueueOptions): Promise<string>;
  /**
   * Creates or replaces a recurring schedule; the same id twice leaves one schedule, and the same
   * schedule again keeps its next occurrence (the reconciler re-creates schedules every pass).
   */
  schedule(scheduleId: string, repeat: Repeat, job: JobSpec, payload: unknown): Promise<void>;
  unschedule(scheduleId: string): Promise<void>;
  scheduleIds(): Promise<string[]>;
  state(queue: QueueName, jobId: string): Promise<JobState>;
  /** Healthy when it can reach its backing store. */
  ping(): Promise<void>;
  /**
   * Stops taking new jobs, aborts the active ones' `signal` and waits for them to return — up to
   * `timeoutMs` when given; after it, the process stops waiting (what they hold is taken over by
   * lease and retry) — then releases connections.
   */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  timeoutMs?: number;
}

/**
 * Thrown by a handler to run the same job again at `runAt` under the same id, without using up an
 * attempt: e.g. a takeover that finds the lease still renewed looks again when it next runs out.
 */
export class JobDeferred extends Error {
  constructor(readonly runAt: Date) {
    super(`Deferred until ${runAt.toISOString()}`);
    this.name = "JobDeferred";
  }
}

/** Resolves true when `work` settles within `ms` (real time: a network or shutdown bound). */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const defaultRetry: RetryPolicy = { attempts: 3, backoffMs: 1000 };

export function retryPolicy(job: JobSpec, override?: Partial<RetryPolicy>): RetryPolicy {
  return { ...defaultRetry, ...job.retry, ...override };
}

/** How long after `now` (the driver's clock) a job with these options should run. */
export function delayOf(options: EnqueueOptions, now: number): number {
  if (options.runAt) return Math.max(0, options.runAt.getTime() - now);
  return Math.max(0, options.delayMs ?? 0);
}

export function backoffDelay(policy: RetryPolicy, attemptsMade: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}

export function assertJobId(jobId: string): void {
  if (jobId.includes(":") || jobId.length === 0 || jobId.length > 200) {
    throw new Error(`Invalid job id "${jobId}": 1–200 characters, no ":"`);
  }
}
