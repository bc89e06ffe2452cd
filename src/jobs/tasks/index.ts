import type { TaskDeps } from "./deps";
import { inspectImportTask, revertImportTask, runImportTask } from "./imports";
import { purgeExpiredSessionsTask } from "./purgeExpiredSessions";
import { scanRemindersTask } from "./scanReminders";
import { sendMailTask } from "./sendMail";
import { taskDueReminderTask } from "./taskDueReminder";

export type { TaskDeps };

/** Every task of the app, bound to its dependencies once per process. */
export function buildTasks(base: Omit<TaskDeps, "tasks">) {
  const deps: TaskDeps = { ...base, tasks: () => tasks };
  const tasks = {
    purgeExpiredSessions: purgeExpiredSessionsTask(deps),
    sendMail: sendMailTask(deps),
    inspectImport: inspectImportTask(deps),
    runImport: runImportTask(deps),
    revertImport: revertImportTask(deps),
    scanReminders: scanRemindersTask(deps),
    taskDueReminder: taskDueReminderTask(deps),
  };
  return tasks;
}

export type Tasks = ReturnType<typeof buildTasks>;
