import type { AnyTask } from "../../src/jobs/queue";
import type { Tasks } from "../../src/jobs/tasks";

/** The tasks the housekeeping queue runs. */
export const housekeepingProcessor = (tasks: Tasks): AnyTask[] => [tasks.purgeExpiredSessions];
