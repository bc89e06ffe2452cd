import type { JobQueue } from "../../src/jobs/queue";
import type { Tasks } from "../../src/jobs/tasks";
import { housekeepingProcessor } from "./housekeeping";
import { importsProcessor } from "./imports";
import { mailProcessor } from "./mail";
import { remindersProcessor } from "./reminders";
import { taskReminderProcessor } from "./taskReminders";

const processors = [
  housekeepingProcessor,
  mailProcessor,
  taskReminderProcessor,
  remindersProcessor,
  importsProcessor,
];

/** Registers every queue's tasks with the queue so this process can run them. */
export function registerProcessors(queue: JobQueue, tasks: Tasks): void {
  for (const processor of processors) for (const task of processor(tasks)) queue.register(task);
}
