import { Op } from "sequelize";
import type { ReconcileStep } from "./reconciler";

export const purgeScheduleId = "purge-expired-sessions-hourly";

/**
 * Keeps the hourly purge scheduled, and at start purges now if expired sessions are already
 * waiting (a missed hour is no loss between periodic passes: the next hour purges it).
 */
export const housekeepingStep: ReconcileStep = {
  name: "housekeeping",
  async run({ jobs, models, now, pass }) {
    await jobs.schedule(purgeScheduleId, { cron: "17 * * * *" }, "purge-expired-sessions", {});
    if (pass === "periodic") return 0;
    const expired = await models.Session.count({ where: { expiresAt: { [Op.lt]: now } } });
    if (expired === 0) return 0;
    // One purge per hour bucket at most, however many processes start within it.
    const bucket = now.toISOString().slice(0, 13).replace(/\D/g, "");
    await jobs.dispatch(
      "purge-expired-sessions",
      {},
      { jobId: `purge-expired-sessions-${bucket}` },
    );
    return 1;
  },
};
