import { owedReminders, scheduleTaskReminder } from "../commands/tasks/reminders";
import type { ReconcileStep } from "./reconciler";

/**
 * Puts back the reminder of every open task whose due time has not been reminded yet: a restart
 * of the in-process driver or a Redis loss drops delayed jobs, the database still knows them.
 * Periodic passes only look at reminders due before their horizon (each is then queued again at
 * least once before it is due); the start pass queues them all.
 */
export const taskReminderStep: ReconcileStep = {
  name: "task-reminders",
  async run(context) {
    let count = 0;
    const until = context.horizon
      ? new Date(context.horizon.getTime() + context.config.TASK_REMINDER_LEAD_MINUTES * 60_000)
      : undefined;
    for await (const batch of owedReminders(context.models, context.now, { until })) {
      for (const ref of batch) await scheduleTaskReminder(context, ref);
      count += batch.length;
    }
    return count;
  },
};
