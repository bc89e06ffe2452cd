import type { Deps } from "../../deps";
import { formatDateTime } from "../../lib/dates";
import { signalDashboard } from "../../notifications/live";
import type { Task } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { notify } from "../notifications";

/** Open dashboards of the business reload their tasks card (notifications/live.ts). */
export async function taskCardsChanged(task: Task): Promise<void> {
  await signalDashboard(task.businessId, ["tasks"]);
}

/**
 * A task given to someone (created for them, or moved to them) tells them: an in-app notification
 * that reaches their open pages live, and an e-mail per their "Task assigned" preference
 * (commands/notifications.ts). Giving a task to yourself, or to nobody, tells no one.
 */
export async function notifyAssignment(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  task: Task,
  previousAssigneeId: number | null,
): Promise<void> {
  const assigneeId = task.assigneeId;
  if (assigneeId === null || assigneeId === previousAssigneeId || assigneeId === ctx.user.id)
    return;
  await notify(deps.models, [
    {
      businessId: task.businessId,
      userId: assigneeId,
      kind: "task_assigned",
      title: `${ctx.user.name} assigned you a task: ${task.title}`.slice(0, 200),
      body: task.dueAt
        ? `Due ${formatDateTime(task.dueAt, ctx.business.timeZone)} (${ctx.business.timeZone})`
        : null,
      link: `/tasks/${task.id}`,
      // Each handover is its own notification; a repeat of the same one (a retry) is not.
      dedupeKey: `task-assigned-${task.id}-${assigneeId}-${task.updatedAt.getTime()}`,
    },
  ]);
}
