import type { Deps } from "../../src/deps";
import { bindJob, type JobDefinition } from "../../src/jobs/define";
import type { JobName } from "../../src/jobs/catalog";
import { housekeepingJobs } from "./housekeeping";
import { importJobs } from "./imports";
import { mailJobs } from "./mail";
import { reminderJobs } from "./reminders";
import { webhookJobs } from "./webhooks";

/** Every job handler of the app, one file per queue. */
export const jobDefinitions: ReadonlyArray<JobDefinition<JobName>> = [
  ...housekeepingJobs,
  ...mailJobs,
  ...reminderJobs,
  ...importJobs,
  ...webhookJobs,
] as ReadonlyArray<JobDefinition<JobName>>;

/** Registers every handler, bound to this process's dependencies, so its workers can run them. */
export function registerProcessors(deps: Deps): void {
  for (const definition of jobDefinitions) deps.queue.register(bindJob(definition, deps));
}
