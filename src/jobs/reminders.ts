import { scanReminders } from "../commands/reminders/scan";
import type { ReconcileStep } from "./reconciler";

export const remindersScheduleId = "reminders-scan";
/** Every quarter hour: 09:00 in zones with :30 and :45 offsets (India, Nepal) falls on one. */
export const remindersCron = "*/15 * * * *";

/**
 * Keeps the reminder scan scheduled (every pass: a Redis restarted empty loses schedules) and scans
 * once at start, so a business whose 09:00 passed while no process was running gets its reminders
 * the same local day. `businessIds` narrows the scan (tests share one database).
 */
export function remindersStepFor(scope: { businessIds?: number[] } = {}): ReconcileStep {
  return {
    name: "reminders",
    async run(context) {
      await context.jobs.schedule(
        remindersScheduleId,
        { cron: remindersCron },
        "scan-reminders",
        {},
      );
      if (context.pass === "periodic") return 0;
      const summary = await scanReminders(context, { now: context.now, ...scope });
      return summary.reminded.length;
    },
  };
}

export const remindersStep = remindersStepFor();
