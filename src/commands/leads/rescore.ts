import type { Deps } from "../../deps";
import type { LeadEventKind } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { kindsOf, loadScoringRules } from "./scoring";

/**
 * After commands that record lead events outside createLead/updateLead (which score in their own
 * transaction): when an engagement rule of the business counts one of the new events' kinds — or,
 * with `fieldsChanged`, when there is any rule (a conversion moves the stage) — the leads are
 * scored again by the recompute-lead-scores job, for these leads only. Explicit calls from the
 * commands, never model hooks. Queued after the change committed; a queue that is away keeps
 * the job in the outbox, and a failure to queue never undoes the change (the next rule change
 * rescores every lead anyway). Returns whether a job was queued.
 */
export async function queueRescore(
  deps: Pick<Deps, "models" | "jobs" | "logger" | "clock">,
  ctx: TenantContext,
  leadIds: readonly number[],
  change: { kinds: readonly LeadEventKind[]; fieldsChanged?: boolean },
): Promise<boolean> {
  if (leadIds.length === 0) return false;
  const rules = await loadScoringRules(deps, ctx.business.id);
  const counted = new Set(
    rules.filter((r) => r.subject === "engagement").flatMap((r) => kindsOf(r.field)),
  );
  const wanted =
    (change.fieldsChanged === true && rules.length > 0) ||
    change.kinds.some((kind) => counted.has(kind));
  if (!wanted) return false;
  try {
    await deps.jobs.dispatch(
      "recompute-lead-scores",
      { businessId: ctx.business.id, userId: null, leadIds: [...leadIds] },
      { jobId: `lead-rescore-${ctx.business.id}-${leadIds[0]}-${deps.clock.nowMs()}` },
    );
    return true;
  } catch (err) {
    deps.logger.warn({ err, businessId: ctx.business.id }, "lead rescore not queued");
    return false;
  }
}
