import { scanReminders } from "../../src/commands/reminders/scan";
import { sendTaskDueReminder } from "../../src/commands/tasks/reminders";
import { defineJob, defineTenantJob } from "../../src/jobs/define";

/** The default queue: the birthday and anniversary scan, and task due reminders. */
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
];
