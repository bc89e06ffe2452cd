import { runBillingCycle } from "../../src/commands/billing/cycle";
import { defineJob } from "../../src/jobs/define";

/** Billing: the hourly cycle (trials, renewals, grace periods) on the injected clock. */
export const billingJobs = [
  defineJob("billing-cycle", async (deps) => {
    const counts = await runBillingCycle(deps);
    if (counts.expired + counts.pastDue + counts.renewalOrders > 0)
      deps.logger.info(counts, "billing cycle");
  }),
];
