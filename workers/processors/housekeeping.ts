import { purgeExpired } from "../../src/commands/housekeeping/purgeExpired";
import { defineJob } from "../../src/jobs/define";

/** The housekeeping queue: the hourly purge of what has expired. */
export const housekeepingJobs = [
  defineJob("purge-expired-sessions", async (deps) => {
    await purgeExpired(deps);
  }),
];
