import type { AnyTask } from "../../src/jobs/queue";
import type { Tasks } from "../../src/jobs/tasks";

/** The birthday and anniversary scan (on the default queue). */
export const remindersProcessor = (tasks: Tasks): AnyTask[] => [tasks.scanReminders];
