import { recomputeBusinessScores } from "../../src/commands/leads/scoringRules";
import { defineTenantJob } from "../../src/jobs/define";

/** The default queue's lead work: scoring leads again after a rule or their events changed. */
export const leadJobs = [
  defineTenantJob("recompute-lead-scores", async (deps, ctx, payload) => {
    // Only the leads whose events changed (leads/rescore.ts), or all after a rule changed.
    const changed = await recomputeBusinessScores(deps, ctx.business.id, {
      leadIds: payload.leadIds,
    });
    deps.logger.info({ businessId: ctx.business.id, changed }, "lead scores recomputed");
  }),
];
