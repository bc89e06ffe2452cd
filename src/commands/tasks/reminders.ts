import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { enqueueMail } from "../../integrations/mail/enqueue";
import type { TaskDueReminderPayload } from "../../jobs/catalog";
import { formatDateTime } from "../../lib/dates";
import { channelsOf, wantsEmail } from "../../lib/notificationPreferences";
import type { Models, Task } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { acrossBusinesses, tenantWhere } from "../../tenancy/scope";
import { notify } from "../notifications";
import { activeStatuses, isActive } from "./input";

/** One job per task and due time: queuing the same reminder twice is a no-op ("-", never ":"). */
export function reminderJobId(taskId: number, dueAt: Date | number): string {
  return `task-due-${taskId}-${typeof dueAt === "number" ? dueAt : dueAt.getTime()}`;
}

/** When the reminder for a due time goes out. */
export function reminderTime(dueAt: Date, leadMinutes: number): Date {
  return new Date(dueAt.getTime() - leadMinutes * 60_000);
}

export type ReminderOutcome =
  "sent" | "no_assignee" | "task_gone" | "finished" | "due_changed" | "already_reminded";

const taskPath = (task: Task) => `/tasks/${task.id}`;

/** The assignee, if still a member of the task's business (removed members are not reminded). */
async function memberAssignee(models: Models, ctx: TenantContext, task: Task) {
  if (task.assigneeId === null) return null;
  const membership = await models.Membership.findOne({
    where: tenantWhere(ctx, models.Membership, { userId: task.assigneeId }),
    include: [{ model: models.User, as: "user", required: true }],
  });
  return membership?.user ?? null;
}

/**
 * The reminder job's work. It re-reads the task and stops when it is gone, finished, due at another
 * time (that time has its own job) or already reminded for this time. Otherwise it notifies the
 * assignee in the app and, if their preferences allow, by e-mail — both idempotent (dedupe key,
 * deterministic mail job id) — and records the due time as reminded last, so a retry after a
 * crash half way completes the work instead of skipping it.
 */
export async function sendTaskDueReminder(
  deps: Pick<Deps, "models" | "jobs" | "config">,
  ctx: TenantContext,
  payload: Pick<TaskDueReminderPayload, "taskId" | "dueAt">,
): Promise<ReminderOutcome> {
  const { models } = deps;
  const task = await models.Task.findOne({
    where: tenantWhere(ctx, models.Task, { id: payload.taskId }),
    include: [{ model: models.Customer, as: "customer", attributes: ["id", "name"] }],
  });
  if (!task) return "task_gone";
  if (!isActive(task.status)) return "finished";
  if (!task.dueAt || task.dueAt.getTime() !== payload.dueAt) return "due_changed";
  if (task.remindedFor?.getTime() === payload.dueAt) return "already_reminded";
  const dueAt = task.dueAt;

  const assignee = await memberAssignee(models, ctx, task);
  if (assignee) {
    const { business } = ctx;
    const due = `${formatDateTime(dueAt, business.timeZone)} (${business.timeZone})`;
    const key = reminderJobId(task.id, dueAt);
    await notify(models, [
      {
        businessId: task.businessId,
        userId: assignee.id,
        kind: "task_due",
        title: `Task due: ${task.title}`.slice(0, 200),
        body: task.customer ? `Due ${due} · ${task.customer.name}` : `Due ${due}`,
        link: taskPath(task),
        dedupeKey: key,
      },
    ]);
    if (wantsEmail(channelsOf(assignee).taskDue)) {
      await enqueueMail(
        deps,
        {
          to: assignee.email,
          template: "task-due",
          data: {
            name: assignee.name,
            title: task.title,
            due,
            businessName: business.name,
            customerName: task.customer?.name ?? null,
            link: new URL(taskPath(task), deps.config.APP_URL).toString(),
          },
        },
        { jobId: `${key}-mail` },
      );
    }
  }
  // Conditional: a due time changed meanwhile keeps its own, still owed, reminder.
  await models.Task.update(
    { remindedFor: dueAt },
    {
      where: tenantWhere(ctx, models.Task, {
        id: task.id,
        dueAt,
        status: { [Op.in]: activeStatuses },
      }),
    },
  );
  return assignee ? "sent" : "no_assignee";
}

/**
 * Queues the reminder of a task's due time, TASK_REMINDER_LEAD_MINUTES before it (at once when
 * that is past). The job id names the task and due time, so scheduling twice is harmless. The
 * reminder is the business's own work (no member asked for it).
 */
export async function scheduleTaskReminder(
  deps: Pick<Deps, "jobs" | "config">,
  ref: { businessId: number; taskId: number; dueAt: Date },
): Promise<void> {
  await deps.jobs.dispatch(
    "task-due-reminder",
    { businessId: ref.businessId, userId: null, taskId: ref.taskId, dueAt: ref.dueAt.getTime() },
    {
      jobId: reminderJobId(ref.taskId, ref.dueAt),
      runAt: reminderTime(ref.dueAt, deps.config.TASK_REMINDER_LEAD_MINUTES),
    },
  );
}

/** Puts the reminder for the task's current due time on the queue, when one is still owed. */
export async function scheduleReminder(deps: Pick<Deps, "jobs" | "config">, task: Task) {
  if (!task.dueAt || !isActive(task.status)) return;
  if (task.remindedFor?.getTime() === task.dueAt.getTime()) return;
  await scheduleTaskReminder(deps, {
    businessId: task.businessId,
    taskId: task.id,
    dueAt: task.dueAt,
  });
}

/** Reminders more than this late are stale news at start-up: the task list shows them overdue. */
export const reminderCatchUpMs = 24 * 60 * 60 * 1000;

/**
 * Open tasks whose due time is still owed a reminder (and is not older than a day, nor — given
 * `until` — due after it), in batches, for the reconciler. Across all businesses: a platform job,
 * not a member's query.
 */
export async function* owedReminders(
  models: Models,
  now: Date,
  { batchSize = 500, until }: { batchSize?: number; until?: Date } = {},
): AsyncGenerator<Array<{ businessId: number; taskId: number; dueAt: Date }>> {
  let afterId = 0;
  const since = new Date(now.getTime() - reminderCatchUpMs);
  for (;;) {
    const batch = await models.Task.findAll({
      attributes: ["id", "businessId", "dueAt", "remindedFor"],
      where: acrossBusinesses("the reconciler re-queues every business's owed reminders", {
        status: { [Op.in]: activeStatuses },
        dueAt: until ? { [Op.gte]: since, [Op.lte]: until } : { [Op.gte]: since },
        id: { [Op.gt]: afterId },
      }),
      order: [["id", "ASC"]],
      limit: batchSize,
    });
    if (batch.length === 0) return;
    afterId = batch[batch.length - 1]!.id;
    const owed = batch.filter((t) => t.dueAt && t.remindedFor?.getTime() !== t.dueAt.getTime());
    yield owed.map((t) => ({ businessId: t.businessId, taskId: t.id, dueAt: t.dueAt as Date }));
  }
}
