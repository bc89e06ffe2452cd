import type { AnyTask } from "../../src/jobs/queue";
import type { Tasks } from "../../src/jobs/tasks";

/** Task reminders (on the default queue). */
export const taskReminderProcessor = (tasks: Tasks): AnyTask[] => [tasks.taskDueReminder];
