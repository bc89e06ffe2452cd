import { owedReminders, scheduleTaskReminder } from "../commands/tasks/reminders";
import type { ReconcileStep } from "./reconciler";

/**
 * Puts back the reminder of every open task whose due time has not been reminded yet: a restart
 * of the in-process driver or a Redis loss drops delayed jobs, the database still knows them.
 */
export const taskReminderStep: ReconcileStep = {
  name: "task-reminders",
  async run(context) {
    let count = 0;
    for await (const batch of owedReminders(context.models, context.now)) {
      for (const ref of batch) await scheduleTaskReminder(context, ref);
      count += batch.length;
    }
    return count;
  },
};
