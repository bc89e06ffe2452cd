import type { Deps } from "../../deps";
import type { SocialPostTarget } from "../../models";

type Due = Pick<SocialPostTarget, "id" | "businessId" | "attempts" | "nextAttemptAt">;

/**
 * The job id of a target's next publish: it follows the row (attempts, due time), so the sweep,
 * which queues due targets again from the database, asks for the same job as the command that
 * queued it first — twice is harmless — and a rescheduled target gets a job of its own.
 */
export function targetJobId(target: Due): string {
  return `social-target-${target.id}-a${target.attempts}-t${target.nextAttemptAt?.getTime() ?? 0}`;
}

/**
 * Queues the publish of each pending target at its due time. Never throws: a target the queue did
 * not take stays pending in the database and the sweep (jobs/socialSweep.ts) queues it.
 */
export async function dispatchTargets(
  deps: Pick<Deps, "jobs" | "logger">,
  targets: readonly Due[],
): Promise<void> {
  for (const target of targets) {
    if (!target.nextAttemptAt) continue;
    try {
      await deps.jobs.dispatchOwed(
        "publish-social-target",
        {
          businessId: target.businessId,
          userId: null,
          targetId: target.id,
          attempts: target.attempts,
          dueAt: target.nextAttemptAt.getTime(),
        },
        { jobId: targetJobId(target), runAt: target.nextAttemptAt },
      );
    } catch (err) {
      deps.logger.warn({ err, targetId: target.id }, "social target not queued; the sweep will");
    }
  }
}
