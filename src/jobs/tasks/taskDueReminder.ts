import {
  reminderJobId,
  reminderTime,
  sendTaskDueReminder,
  type TaskDueReminderPayload,
} from "../../commands/tasks/reminders";
import type { JobQueue, TaskDefinition } from "../queue";
import type { TaskDeps } from "./deps";

export type { TaskDueReminderPayload };

export interface TaskDueReminderTask extends TaskDefinition<TaskDueReminderPayload> {
  /**
   * Queues the reminder of a task's due time, TASK_REMINDER_LEAD_MINUTES before it (at once when
   * that is past). The job id names the task and due time, so scheduling twice is harmless.
   */
  schedule(ref: { taskId: number; dueAt: Date }, queue?: JobQueue): Promise<void>;
}

/** Reminds a task's assignee that it is due: in the app, and by e-mail if they want. */
export function taskDueReminderTask(deps: TaskDeps): TaskDueReminderTask {
  const task: TaskDueReminderTask = {
    queue: "default",
    name: "task-due-reminder",
    retry: { attempts: 5, backoffMs: 5000 },
    async perform(payload) {
      const outcome = await sendTaskDueReminder({ ...deps, tasks: deps.tasks() }, payload);
      deps.logger.debug({ taskId: payload.taskId, outcome }, "task due reminder");
    },
    async schedule({ taskId, dueAt }, queue = deps.queue) {
      await queue.enqueue(
        task,
        { taskId, dueAt: dueAt.getTime() },
        {
          jobId: reminderJobId(taskId, dueAt),
          runAt: reminderTime(dueAt, deps.config.TASK_REMINDER_LEAD_MINUTES),
        },
      );
    },
  };
  return task;
}
