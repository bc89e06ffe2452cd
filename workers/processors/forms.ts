import { followUpSubmission } from "../../src/commands/forms/followUp";
import { defineTenantJob } from "../../src/jobs/define";

/** Public form submissions' follow-up (owner, score, timeline, webhooks, notification). */
export const formJobs = [
  defineTenantJob("follow-up-form-submission", async (deps, ctx, payload) => {
    await followUpSubmission(deps, ctx, payload.submissionId);
  }),
];
