import { jobSpec, type JobName, type JobPayloads } from "./catalog";
import type { EnqueueOptions, JobQueue, JobState, Repeat } from "./queue";

/**
 * How commands ask for background work: by job name, with the typed payload. The one small
 * interface between commands and the queue (commands never see handlers).
 */
export interface Jobs {
  /** Queues the job; returns its id. Call after the transaction that made it owed commits. */
  dispatch<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string>;
  /** Creates or replaces a recurring schedule (idempotent by id). */
  schedule<N extends JobName>(
    scheduleId: string,
    repeat: Repeat,
    name: N,
    payload: JobPayloads[N],
  ): Promise<void>;
  state(name: JobName, jobId: string): Promise<JobState>;
}

export function queueDispatcher(queue: JobQueue): Jobs {
  return {
    dispatch: (name, payload, options) => queue.enqueue(jobSpec(name), payload, options),
    schedule: (scheduleId, repeat, name, payload) =>
      queue.schedule(scheduleId, repeat, jobSpec(name), payload),
    state: (name, jobId) => queue.state(jobSpec(name).queue, jobId),
  };
}
