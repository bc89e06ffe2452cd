import { runSendBatch } from "../../src/commands/campaigns/sending/batch";
import { runCampaignDispatch } from "../../src/commands/campaigns/sending/dispatch";
import { defineTenantJob } from "../../src/jobs/define";
import { JobDeferred } from "../../src/jobs/queue";

/** Campaign sending: the per-campaign dispatcher tick and the batches it hands out. */
export const campaignJobs = [
  defineTenantJob("campaign-dispatch", async (deps, ctx, payload) => {
    await runCampaignDispatch(deps, ctx, payload.campaignId);
  }),
  defineTenantJob("campaign-send-batch", async (deps, ctx, payload, job) => {
    const outcome = await runSendBatch(deps, ctx, payload, { signal: job.signal });
    // Shutting down between groups: the same batch runs again (elsewhere) straight away.
    if (outcome === "interrupted") throw new JobDeferred(deps.clock.now());
  }),
];
