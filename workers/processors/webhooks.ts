import { defineTenantJob } from "../../src/jobs/define";
import { attemptDelivery } from "../../src/webhooks/deliver";

/** The webhooks queue: one attempt of one delivery per job (src/webhooks/deliver.ts). */
export const webhookJobs = [
  defineTenantJob("deliver-webhook", (deps, ctx, payload) => attemptDelivery(deps, ctx, payload)),
];
