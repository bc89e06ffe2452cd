import type { Task } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { recordEvents, type TimelineEntry } from "../customers/timeline";
import type { Deps } from "../../deps";
import {
  checkAssignee,
  checkCustomer,
  wholeSeconds,
  type TaskChanges,
  type TaskFields,
} from "./input";
import { notifyAssignment, taskCardsChanged } from "./assigned";
import { scheduleReminder } from "./reminders";

const fields = [
  "title",
  "description",
  "priority",
  "status",
  "dueAt",
  "assigneeId",
  "customerId",
] as const satisfies ReadonlyArray<keyof TaskFields>;

type Change = [string | null, string | null];

function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

/** What a change means for the customers' timelines: completion is its own event. */
function timelineEntries(
  task: Task,
  before: { customerId: number | null },
  changes: Record<string, Change>,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const facts = { taskId: task.id, title: task.title };
  const { status, ...others } = changes;
  const completed = status !== undefined && status[1] === "done";
  const updates = completed ? others : changes;
  if (task.customerId !== null) {
    if (completed)
      entries.push({ customerId: task.customerId, kind: "task_completed", details: facts });
    if (Object.keys(updates).length)
      entries.push({
        customerId: task.customerId,
        kind: "task_updated",
        details: { ...facts, changes: updates },
      });
  }
  // The customer the task was moved away from learns where it went.
  if (before.customerId !== null && before.customerId !== task.customerId) {
    entries.push({
      customerId: before.customerId,
      kind: "task_updated",
      details: { ...facts, changes: { customerId: changes.customerId } },
    });
  }
  return entries;
}

/**
 * Changes the given fields of a task. The assignee must be a member (sales: themselves), a new
 * customer must be one of the business's. Linked customers get timeline events; a due time that
 * is still owed a reminder gets one queued after the commit (the job id makes repeats harmless).
 */
export async function updateTask(
  deps: Deps,
  ctx: TenantContext,
  task: Task,
  changes: TaskChanges,
): Promise<Task> {
  authorize(ctx, "tasks.manage");
  const next: TaskFields = {
    title: changes.title ?? task.title,
    description: changes.description === undefined ? task.description : changes.description,
    priority: changes.priority ?? task.priority,
    status: changes.status ?? task.status,
    dueAt: changes.dueAt === undefined ? task.dueAt : wholeSeconds(changes.dueAt),
    assigneeId: changes.assigneeId === undefined ? task.assigneeId : changes.assigneeId,
    customerId: changes.customerId === undefined ? task.customerId : changes.customerId,
  };
  next.assigneeId = await checkAssignee(deps, ctx, next.assigneeId, task.assigneeId);
  next.customerId = await checkCustomer(deps, ctx, next.customerId, task.customerId);

  const changed: Record<string, Change> = {};
  for (const field of fields) {
    const before = comparable(task.get(field));
    const after = comparable(next[field]);
    if (before !== after) changed[field] = [before, after];
  }
  if (Object.keys(changed).length === 0) return task;

  const before = { customerId: task.customerId };
  const previousAssigneeId = task.assigneeId;
  await deps.sequelize.transaction(async (transaction) => {
    await task.update(next, { transaction });
    await recordEvents(deps, ctx, timelineEntries(task, before, changed), transaction);
  });
  await scheduleReminder(deps, task);
  await notifyAssignment(deps, ctx, task, previousAssigneeId);
  await taskCardsChanged(task);
  return task;
}
