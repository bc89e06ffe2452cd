import type { Deps } from "../../deps";
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
  deps: Pick<Deps, "jobs" | "clock">,
  record: Import,
): Promise<string | null> {
  const { jobs } = deps;
  const now = deps.clock.now();
  // The job acts for whoever asked: the starter, or for an undo the member who asked for it.
  const userId =
    record.status === "reverting" ? (record.revertedById ?? record.userId) : record.userId;
  const payload = { businessId: record.businessId, userId, importId: record.id };
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
      return jobs.dispatch("inspect-import", payload, { jobId: `${base}-inspect-${record.seq}` });
    case "queued":
      return jobs.dispatch("run-import", payload, { jobId: `${base}-run-${record.seq}` });
    case "running":
      return jobs.dispatch("run-import", payload, later("resume"));
    case "reverting":
      return jobs.dispatch(
        "revert-import",
        payload,
        !record.runStartedAt ? { jobId: `${base}-revert-${record.seq}` } : later("revert"),
      );
    default:
      return null;
  }
}
