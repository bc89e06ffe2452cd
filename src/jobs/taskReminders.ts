import { owedReminders } from "../commands/tasks/reminders";
import type { ReconcileStep } from "./reconciler";

/**
 * Puts back the reminder of every open task whose due time has not been reminded yet: a restart
 * of the in-process driver or a Redis loss drops delayed jobs, the database still knows them.
 */
export const taskReminderStep: ReconcileStep = {
  name: "task-reminders",
  async run({ queue, tasks, models, now }) {
    let count = 0;
    for await (const batch of owedReminders(models, now)) {
      for (const ref of batch) await tasks.taskDueReminder.schedule(ref, queue);
      count += batch.length;
    }
    return count;
  },
};
