/**
 * The job queue contract. Two drivers implement it — BullMQ (Redis) and in-process — and one
 * shared contract suite (queue.contract.ts) proves they behave alike.
 */

/** Every named queue. Names are stable: they are Redis keys in production. */
export const queueNames = ["housekeeping", "mail", "default", "imports"] as const;
export type QueueName = (typeof queueNames)[number];

export interface RetryPolicy {
  /** Total tries including the first. */
  attempts: number;
  /** First retry waits this long; each further retry waits twice as long as the one before. */
  backoffMs: number;
}

export interface TaskDefinition<Payload> {
  queue: QueueName;
  /** Unique within its queue. */
  name: string;
  retry?: Partial<RetryPolicy>;
  /** Payloads hold ids and plain JSON only; the handler loads the rest from the database. */
  perform(payload: Payload, job: JobInfo): Promise<void>;
}

// Handlers are stored side by side with payloads of many shapes; the enqueue path keeps them typed.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = TaskDefinition<any>;

export interface JobInfo {
  id: string;
  queue: QueueName;
  name: string;
  /** 1 on the first try. */
  attempt: number;
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
  /** Makes a task runnable by this process's workers. */
  register(task: AnyTask): void;
  /** Starts pulling jobs for the registered tasks; without it this process only enqueues. */
  startWorkers(options?: { concurrency?: number }): Promise<void>;
  enqueue<P>(task: TaskDefinition<P>, payload: P, options?: EnqueueOptions): Promise<string>;
  /** Creates or replaces a recurring schedule; the same id twice leaves one schedule. */
  schedule<P>(
    scheduleId: string,
    repeat: Repeat,
    task: TaskDefinition<P>,
    payload: P,
  ): Promise<void>;
  unschedule(scheduleId: string): Promise<void>;
  scheduleIds(): Promise<string[]>;
  state(queue: QueueName, jobId: string): Promise<JobState>;
  /** Healthy when it can reach its backing store. */
  ping(): Promise<void>;
  /** Stops taking new jobs, waits for the active ones, releases connections. */
  close(): Promise<void>;
}

export const defaultRetry: RetryPolicy = { attempts: 3, backoffMs: 1000 };

export function retryPolicy(task: AnyTask, override?: Partial<RetryPolicy>): RetryPolicy {
  return { ...defaultRetry, ...task.retry, ...override };
}

/** How long after `now` a job with these options should run. */
export function delayOf(options: EnqueueOptions, now = Date.now()): number {
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
