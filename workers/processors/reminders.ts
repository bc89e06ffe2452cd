import { scanReminders } from "../../src/commands/reminders/scan";
import { sendTaskDueReminder } from "../../src/commands/tasks/reminders";
import { sendSlaReminder } from "../../src/commands/tickets/reminders";
import { defineJob, defineTenantJob } from "../../src/jobs/define";

/** The default queue: the birthday and anniversary scan, task due and ticket SLA reminders. */
export const reminderJobs = [
  defineJob("scan-reminders", async (deps) => {
    const summary = await scanReminders(deps, { now: deps.clock.now() });
    const { due, reminded, quiet, failed } = summary;
    if (due > 0 || failed > 0)
      deps.logger.info({ due, reminded: reminded.length, quiet, failed }, "reminders scanned");
  }),
  defineTenantJob("task-due-reminder", async (deps, ctx, payload) => {
    const outcome = await sendTaskDueReminder(deps, ctx, payload);
    deps.logger.debug({ taskId: payload.taskId, outcome }, "task due reminder");
  }),
  defineTenantJob("ticket-sla-reminder", async (deps, ctx, payload) => {
    const outcome = await sendSlaReminder(deps, ctx, payload);
    deps.logger.debug({ ticketId: payload.ticketId, outcome }, "ticket SLA reminder");
  }),
];
