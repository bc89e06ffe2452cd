import type { AnyTask } from "../../src/jobs/queue";
import type { Tasks } from "../../src/jobs/tasks";

/** The tasks the mail queue runs. */
export const mailProcessor = (tasks: Tasks): AnyTask[] => [tasks.sendMail];
