import type { Deps } from "../../src/deps";
import { bindJob, type JobDefinition } from "../../src/jobs/define";
import type { JobName } from "../../src/jobs/catalog";
import { billingJobs } from "./billing";
import { campaignJobs } from "./campaigns";
import { housekeepingJobs } from "./housekeeping";
import { importJobs } from "./imports";
import { formJobs } from "./forms";
import { leadJobs } from "./leads";
import { mailJobs } from "./mail";
import { notificationJobs } from "./notifications";
import { reminderJobs } from "./reminders";
import { invoiceJobs } from "./invoices";
import { webhookJobs } from "./webhooks";
import { socialJobs } from "./social";
import { socialAccountJobs } from "./socialAccounts";

/** Every job handler of the app, one file per queue. */
export const jobDefinitions: ReadonlyArray<JobDefinition<JobName>> = [
  ...housekeepingJobs,
  ...mailJobs,
  ...reminderJobs,
  ...importJobs,
  ...webhookJobs,
  ...invoiceJobs,
  ...leadJobs,
  ...formJobs,
  ...billingJobs,
  ...notificationJobs,
  ...socialJobs,
  ...socialAccountJobs,
  ...campaignJobs,
] as ReadonlyArray<JobDefinition<JobName>>;

/** Registers every handler, bound to this process's dependencies, so its workers can run them. */
export function registerProcessors(deps: Deps): void {
  for (const definition of jobDefinitions) deps.queue.register(bindJob(definition, deps));
}
