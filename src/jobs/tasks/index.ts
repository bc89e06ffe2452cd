import type { TaskDeps } from "./deps";
import { purgeExpiredSessionsTask } from "./purgeExpiredSessions";
import { sendMailTask } from "./sendMail";

export type { TaskDeps };

/** Every task of the app, bound to its dependencies once per process. */
export function buildTasks(deps: TaskDeps) {
  return {
    purgeExpiredSessions: purgeExpiredSessionsTask(deps),
    sendMail: sendMailTask(deps),
  };
}

export type Tasks = ReturnType<typeof buildTasks>;
