import type { JobQueue } from "../../jobs/queue";
import type { Tasks } from "../../jobs/tasks";
import type { Import } from "../../models";

/**
 * Queues whatever an import needs next, by its status. Job ids are deterministic, so queueing
 * twice (the web process, then a start-up reconcile) runs it once:
 * - a phase not begun yet: the phase and its sequence number;
 * - work a runner holds: the end of its lease — the job runs then and takes over if that runner
 *   has died (a live one renews the lease, and the job just looks again later);
 * - work a runner gave up without finishing: the time it did (a new id, since the queue keeps
 *   the ids of finished and failed jobs for a while).
 */
export async function enqueueImportWork(
  queue: JobQueue,
  tasks: Tasks,
  record: Import,
  now = new Date(),
): Promise<string | null> {
  const payload = { importId: record.id };
  const base = `import-${record.id}`;
  const leaseEnd =
    record.leaseOwner && record.leaseExpiresAt ? record.leaseExpiresAt.getTime() + 250 : null;
  const later = (phase: string) =>
    leaseEnd !== null
      ? {
          jobId: `${base}-${phase}-until-${leaseEnd}`,
          runAt: new Date(Math.max(leaseEnd, now.getTime())),
        }
      : { jobId: `${base}-${phase}-from-${record.updatedAt.getTime()}` };
  switch (record.status) {
    case "inspecting":
      return queue.enqueue(tasks.inspectImport, payload, {
        jobId: `${base}-inspect-${record.seq}`,
      });
    case "queued":
      return queue.enqueue(tasks.runImport, payload, { jobId: `${base}-run-${record.seq}` });
    case "running":
      return queue.enqueue(tasks.runImport, payload, later("resume"));
    case "reverting":
      return queue.enqueue(
        tasks.revertImport,
        payload,
        !record.runStartedAt ? { jobId: `${base}-revert-${record.seq}` } : later("revert"),
      );
    default:
      return null;
  }
}
