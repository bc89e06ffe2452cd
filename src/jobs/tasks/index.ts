import type { TaskDeps } from "./deps";
import { purgeExpiredSessionsTask } from "./purgeExpiredSessions";
import { sendMailTask } from "./sendMail";

export type { TaskDeps };

/** Every task of the app, bound to its dependencies once per process. */
export function buildTasks(base: Omit<TaskDeps, "tasks">) {
  const deps: TaskDeps = { ...base, tasks: () => tasks };
  const tasks = {
    purgeExpiredSessions: purgeExpiredSessionsTask(deps),
    sendMail: sendMailTask(deps),
  };
  return tasks;
}

export type Tasks = ReturnType<typeof buildTasks>;
