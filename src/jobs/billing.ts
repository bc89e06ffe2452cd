import type { ReconcileStep } from "./reconciler";

export const billingScheduleId = "billing-cycle-hourly";

/**
 * Keeps the hourly billing cycle scheduled (trials, periods and grace periods that ended: see
 * commands/billing/cycle.ts), and runs it once at start, so an account whose trial ended while no
 * process ran drops to Free within minutes rather than at the next hour.
 */
export const billingStep: ReconcileStep = {
  name: "billing",
  async run({ jobs, now, pass }) {
    await jobs.schedule(billingScheduleId, { cron: "7 * * * *" }, "billing-cycle", {});
    if (pass === "periodic") return 0;
    const bucket = now.toISOString().slice(0, 13).replace(/\D/g, "");
    await jobs.dispatch("billing-cycle", {}, { jobId: `billing-cycle-${bucket}` });
    return 1;
  },
};
