import { takeoverTime } from "../../db/lease";
import type { Deps } from "../../deps";
import type { ImportPayload } from "../../jobs/catalog";
import type { Import } from "../../models";

/**
 * Queues whatever an import needs next, by its status. The import's row records what is owed, so
 * this goes through `dispatchOwed`: when the queue is away the reconciler re-queues it from the
 * row. Job ids are deterministic, so queueing twice (the web process, a reconcile pass, another
 * worker) runs it once, and never the id of a job the queue may still hold or keep:
 * - a phase not begun yet: the phase and its sequence number;
 * - a runner's lease: the watch of that lease (its epoch), due just after the lease runs out. It
 *   takes over when the runner has died and defers itself while the runner renews; the runner
 *   queues it when it claims the import, a reconcile pass when Redis lost it;
 * - work given up without finishing (a shutdown, an error): the phase and the epoch of the lease
 *   given up, at once.
 */
export async function enqueueImportWork(
  deps: Pick<Deps, "jobs" | "clock">,
  record: Import,
): Promise<string | null> {
  const { jobs } = deps;
  // The job acts for whoever asked: the starter, or for an undo the member who asked for it.
  const userId =
    record.status === "reverting" ? (record.revertedById ?? record.userId) : record.userId;
  const payload: ImportPayload = { businessId: record.businessId, userId, importId: record.id };
  const base = `import-${record.id}`;
  switch (record.status) {
    case "inspecting":
      return jobs.dispatchOwed("inspect-import", payload, {
        jobId: `${base}-inspect-${record.seq}`,
      });
    case "queued":
      return jobs.dispatchOwed("run-import", payload, { jobId: `${base}-run-${record.seq}` });
    case "running":
    case "reverting": {
      const name = record.status === "running" ? "run-import" : "revert-import";
      const phase = record.status === "running" ? "resume" : "revert";
      if (record.leaseOwner && record.leaseExpiresAt)
        return jobs.dispatchOwed(
          name,
          { ...payload, leaseEpoch: record.leaseEpoch },
          {
            jobId: `${base}-lease-${record.leaseEpoch}`,
            runAt: takeoverTime(record.leaseExpiresAt, deps.clock.now()),
          },
        );
      return jobs.dispatchOwed(name, payload, {
        jobId: `${base}-${phase}-${record.seq}-${record.leaseEpoch}`,
      });
    }
    default:
      return null;
  }
}
