import type { Task } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { recordEvents } from "../customers/timeline";
import type { Deps } from "../../deps";
import { checkAssignee, checkCustomer, wholeSeconds, type NewTask } from "./input";
import { notifyAssignment, taskCardsChanged } from "./assigned";
import { scheduleReminder } from "./reminders";

/**
 * Creates a task in the current business. The assignee defaults to the author; a linked customer
 * gets a timeline event; a due time queues its reminder once the row is committed.
 */
export async function createTask(
  deps: Deps,
  ctx: TenantContext,
  input: NewTask & { leadId?: number | null; nurtureKey?: string | null },
): Promise<Task> {
  authorize(ctx, "tasks.manage");
  const assigneeId = await checkAssignee(
    deps,
    ctx,
    input.assigneeId === undefined ? ctx.user.id : input.assigneeId,
  );
  const customerId = await checkCustomer(deps, ctx, input.customerId ?? null);
  const task = await deps.sequelize.transaction(async (transaction) => {
    const created = await deps.models.Task.create(
      {
        businessId: ctx.business.id,
        customerId,
        // The lead was loaded through the caller's scope (lead page, nurture run).
        leadId: input.leadId ?? null,
        nurtureKey: input.nurtureKey ?? null,
        assigneeId,
        createdById: ctx.user.id,
        title: input.title,
        description: input.description ?? null,
        priority: input.priority ?? "medium",
        status: input.status ?? "open",
        dueAt: wholeSeconds(input.dueAt ?? null),
        remindedFor: null,
      },
      { transaction },
    );
    if (customerId !== null) {
      await recordEvents(
        deps,
        ctx,
        [
          {
            customerId,
            kind: "task_created",
            details: { taskId: created.id, title: created.title },
          },
        ],
        transaction,
      );
    }
    return created;
  });
  await scheduleReminder(deps, task);
  await notifyAssignment(deps, ctx, task, null);
  await taskCardsChanged(task);
  return task;
}
