import { randomUUID } from "node:crypto";
import { DelayedError, Queue, Worker, type Job, type JobsOptions } from "bullmq";
import IORedis from "ioredis";
import { systemClock, type Clock } from "../lib/clock";
import type { Logger } from "../logger";
import {
  assertJobId,
  delayOf,
  JobDeferred,
  queueNames,
  retryPolicy,
  settlesWithin,
  type CloseOptions,
  type EnqueueOptions,
  type JobQueue,
  type JobSpec,
  type JobState,
  type QueueName,
  type Repeat,
  type RunnableJob,
} from "./queue";

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Wrapped in {…}: every key of every queue then hashes to one Redis Cluster slot. */
  prefix: string;
  logger: Logger;
  /** Turns `runAt` into BullMQ's delay; tests pass a fake one. */
  clock?: Clock;
}

/** QUIT, or a cut when the connection is already broken. */
const quit = (connection: IORedis) => connection.quit().catch(() => connection.disconnect());

/** After the jobs (or the deadline): how long closing the connections may take before a cut. */
const disconnectAfterMs = 1000;

/** Same window as the in-process driver: a repeated id within it is ignored. */
const keepCompleted = { age: 60 * 60, count: 1000 };
const keepFailed = { age: 7 * 24 * 60 * 60, count: 10_000 };

/** The production driver: queues in Redis, workers in any number of processes. */
export class BullmqQueue implements JobQueue {
  readonly driver = "bullmq" as const;
  private readonly connection: IORedis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: IORedis[] = [];
  private readonly handlers = new Map<string, RunnableJob>();
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly shutdown = new AbortController();

  constructor(private readonly options: BullmqQueueOptions) {
    this.connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: 3 });
    this.connection.on("error", (err) => options.logger.error({ err }, "redis connection error"));
    this.prefix = `{${options.prefix}}`;
    this.clock = options.clock ?? systemClock;
  }

  register(job: RunnableJob): void {
    this.handlers.set(`${job.queue}|${job.name}`, job);
  }

  async startWorkers(options: { concurrency?: number } = {}): Promise<void> {
    const served = new Set([...this.handlers.values()].map((job) => job.queue));
    for (const queueName of queueNames.filter((name) => served.has(name))) {
      const worker = new Worker(
        queueName,
        (job: Job, token) => this.process(queueName, job, token),
        {
          connection: this.workerConnection(),
          prefix: this.prefix,
          concurrency: options.concurrency ?? 1,
        },
      );
      worker.on("failed", (job, err) =>
        this.options.logger.warn(
          { err, queue: queueName, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade },
          "job failed",
        ),
      );
      worker.on("error", (err) =>
        this.options.logger.error({ err, queue: queueName }, "worker error"),
      );
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  async enqueue(spec: JobSpec, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const jobId = options.jobId ?? randomUUID();
    assertJobId(jobId);
    await this.queue(spec.queue).add(spec.name, payload, {
      ...this.jobOptions(spec, options.retry),
      jobId,
      delay: delayOf(options, this.clock.nowMs()),
    });
    return jobId;
  }

  async schedule(
    scheduleId: string,
    repeat: Repeat,
    spec: JobSpec,
    payload: unknown,
  ): Promise<void> {
    assertJobId(scheduleId);
    const repeatOptions =
      "everyMs" in repeat
        ? { every: repeat.everyMs }
        : { pattern: repeat.cron, tz: repeat.timeZone ?? "UTC" };
    await this.queue(spec.queue).upsertJobScheduler(scheduleId, repeatOptions, {
      name: spec.name,
      data: payload,
      opts: this.jobOptions(spec),
    });
  }

  async unschedule(scheduleId: string): Promise<void> {
    await Promise.all(queueNames.map((name) => this.queue(name).removeJobScheduler(scheduleId)));
  }

  async scheduleIds(): Promise<string[]> {
    const lists = await Promise.all(queueNames.map((name) => this.queue(name).getJobSchedulers()));
    return lists
      .flat()
      .map((scheduler) => scheduler.key)
      .sort();
  }

  async state(queue: QueueName, jobId: string): Promise<JobState> {
    const state = await this.queue(queue).getJobState(jobId);
    if (state === "prioritized" || state === "waiting-children") return "waiting";
    return state;
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(options: CloseOptions = {}): Promise<void> {
    this.shutdown.abort();
    // worker.close() stops fetching and waits for the jobs in progress, which were just asked to
    // stop. Past the deadline the process stops waiting: a job still running keeps its lease and
    // its BullMQ lock until they run out, then another worker takes it over. Its worker finishes
    // closing (and releases its connection) when it returns; cutting that connection under a
    // closing worker sets BullMQ spinning, so it is left alone.
    const closing = Promise.all(this.workers.map((worker) => worker.close()));
    const workersClosed = closing.then(() => Promise.all(this.workerConnections.map(quit)));
    workersClosed.catch(() => undefined);
    const inTime =
      options.timeoutMs === undefined
        ? await closing.then(() => true)
        : await settlesWithin(closing, options.timeoutMs);
    if (!inTime)
      this.options.logger.warn("jobs still running at the close deadline; left to lease and retry");
    const released = Promise.all([
      ...[...this.queues.values()].map((queue) => queue.close()),
      quit(this.connection),
      ...(inTime ? [workersClosed] : []),
    ]);
    // With Redis unreachable, QUIT would wait in the offline queue for ever: cut it after a while.
    if (!(await settlesWithin(released, disconnectAfterMs))) this.connection.disconnect();
  }

  private async process(queueName: QueueName, job: Job, token?: string): Promise<void> {
    const handler = this.handlers.get(`${queueName}|${job.name}`);
    if (!handler) throw new Error(`No job "${job.name}" is registered on queue "${queueName}"`);
    try {
      await handler.perform(job.data, {
        id: job.id ?? "",
        queue: queueName,
        name: job.name,
        attempt: job.attemptsMade + 1,
        signal: this.shutdown.signal,
      });
    } catch (error) {
      if (!(error instanceof JobDeferred)) throw error;
      // BullMQ times delayed jobs by the wall clock: the same wait as on this driver's clock.
      const waitMs = Math.max(0, error.runAt.getTime() - this.clock.nowMs());
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      queue.on("error", (err) => this.options.logger.error({ err, queue: name }, "queue error"));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private jobOptions(spec: JobSpec, override?: EnqueueOptions["retry"]): JobsOptions {
    const policy = retryPolicy(spec, override);
    return {
      attempts: policy.attempts,
      backoff: { type: "exponential", delay: policy.backoffMs },
      removeOnComplete: keepCompleted,
      removeOnFail: keepFailed,
    };
  }

  private workerConnection(): IORedis {
    // Workers block on Redis and must never give up on a command; BullMQ requires null here.
    const connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    connection.on("error", (err) =>
      this.options.logger.error({ err }, "redis worker connection error"),
    );
    this.workerConnections.push(connection);
    return connection;
  }
}
