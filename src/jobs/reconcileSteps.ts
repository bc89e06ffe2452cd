import { housekeepingStep } from "./housekeeping";
import { importsStep } from "./importsStep";
import type { ReconcileStep } from "./reconciler";
import { remindersStep } from "./reminders";
import { taskReminderStep } from "./taskReminders";

/**
 * Every feature's start-up step, in one list: what the database says is scheduled is put back on
 * the queue. A feature with scheduled work adds its step here.
 */
export const reconcileSteps: ReconcileStep[] = [
  housekeepingStep,
  taskReminderStep,
  remindersStep,
  importsStep,
];
