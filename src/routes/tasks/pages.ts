import type { Request, Response } from "express";
import { createTask } from "../../commands/tasks/create";
import { deleteTask } from "../../commands/tasks/delete";
import { assignableMembers, linkableCustomer, type MemberOption } from "../../commands/tasks/list";
import { updateTask } from "../../commands/tasks/update";
import { isAppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Task } from "../../models";
import { presentTaskRow, statusLabels } from "../../presenters/task";
import { taskFormView } from "../../presenters/taskViews";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { loadTask as findTask } from "../../commands/tasks/list";
import {
  returnTo,
  type deleteTaskSchema,
  type newTaskQuery,
  type returnToQuery,
  type statusFormSchema,
  type taskFormSchema,
  type taskParams,
} from "./schema";

type Values = Record<string, unknown>;
type TaskForm = ReturnType<typeof taskFormSchema>;
type OneTask = { params: typeof taskParams; record: Task };

const localPath = (value: unknown) => returnTo.parse(typeof value === "string" ? value : undefined);

/** The task a path names, with its assignee's and customer's names (404 in another business). */
export function loadTask({ deps, ctx, params }: LoadCall<TenantContext, { taskId: number }>) {
  return findTask(deps, ctx, params.taskId);
}

/** The form, new or edit, with its choices; `customerId` is shown with its name when linkable. */
async function renderForm(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  options: { task?: Task; values: Values; errors?: FieldErrors; status?: number },
) {
  const { task, values } = options;
  // Submitted values come back as typed: only a local path is ever echoed into a link.
  const back = localPath(values.returnTo);
  let customer: MemberOption | null = task?.customer
    ? { id: task.customer.id, name: task.customer.name }
    : null;
  const wanted = values.customerId;
  if (wanted && String(wanted) !== String(customer?.id ?? "")) {
    customer = await linkableCustomer(deps, ctx, wanted).catch((error: unknown) => {
      // A customer the member may not link is reported beside the field, not as a 404.
      if (isAppError(error) && error.id === "not_found") return null;
      throw error;
    });
  }
  res.status(options.status ?? 200).render("tasks/form", {
    title: task ? `Task: ${task.title}` : "New task",
    heading: task ? "Edit task" : "New task",
    action: task ? `/tasks/${task.id}` : "/tasks",
    task: task ? presentTaskRow(task, ctx.business.timeZone) : null,
    timeZone: ctx.business.timeZone,
    csrfToken: csrfToken(req),
    values,
    errors: options.errors ?? {},
    returnTo: back,
    cancelUrl: back ?? "/tasks",
    ...taskFormView(values, {
      members: await assignableMembers(deps, ctx),
      canLeaveUnassigned: !restrictedToOwnRecords(ctx),
      currentAssignee: task?.assignee ? { id: task.assignee.id, name: task.assignee.name } : null,
      customer,
    }),
  });
}

/** A form that did not save comes back as typed, with the errors beside the fields. */
export function renderTaskFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Task | undefined }>,
  failure: FormFailure,
) {
  return renderForm(req, res, deps, ctx, {
    task: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** GET /tasks/new (from a customer's page, linked to that customer). */
export async function showNew({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof newTaskQuery }>) {
  const linked = query.customerId ? await linkableCustomer(deps, ctx, query.customerId) : null;
  await renderForm(req, res, deps, ctx, {
    values: {
      priority: "medium",
      status: "open",
      assigneeId: ctx.user.id,
      customerId: linked?.id,
      returnTo: query.returnTo,
    },
  });
}

/** POST /tasks */
export async function create({ deps, ctx, body }: PageCall<{ body: TaskForm }>) {
  const { returnTo: back, ...fields } = body;
  const task = await createTask(deps, ctx, fields);
  return redirect(back ?? "/tasks", `Task “${task.title}” created.`);
}

/** GET /tasks/:taskId: the edit form. */
export async function showTask({
  req,
  res,
  deps,
  ctx,
  query,
  record: task,
}: PageCall<OneTask & { query: typeof returnToQuery }>) {
  const row = presentTaskRow(task, ctx.business.timeZone);
  await renderForm(req, res, deps, ctx, {
    task,
    values: {
      title: row.title,
      description: row.description ?? "",
      priority: row.priority,
      status: row.status,
      dueAt: row.dueInput,
      assigneeId: row.assigneeId ?? "",
      customerId: row.customerId ?? "",
      returnTo: query.returnTo,
    },
  });
}

/** POST /tasks/:taskId (the checks run before anything is written: a refusal leaves it as loaded). */
export async function update({
  deps,
  ctx,
  body,
  record: task,
}: PageCall<OneTask & { body: TaskForm }>) {
  const { returnTo: back, ...fields } = body;
  await updateTask(deps, ctx, task, fields);
  return redirect(back ?? "/tasks", `Task “${task.title}” saved.`);
}

/** POST /tasks/:taskId/status: the quick status change from the list. */
export async function setStatus({
  deps,
  ctx,
  body,
  record: task,
}: PageCall<OneTask & { body: typeof statusFormSchema }>) {
  await updateTask(deps, ctx, task, { status: body.status });
  return redirect(
    body.returnTo ?? "/tasks",
    `“${task.title}” is now ${statusLabels[task.status].toLowerCase()}.`,
  );
}

/** GET /tasks/:taskId/delete: asks once more. */
export function confirmDelete({
  req,
  res,
  ctx,
  query,
  record: task,
}: PageCall<OneTask & { query: typeof returnToQuery }>) {
  res.render("tasks/delete", {
    title: "Delete task",
    csrfToken: csrfToken(req),
    task: presentTaskRow(task, ctx.business.timeZone),
    returnTo: query.returnTo,
  });
}

/** POST /tasks/:taskId/delete: back to the list, never to the page of the task that is gone. */
export async function remove({
  deps,
  ctx,
  body,
  record: task,
}: PageCall<OneTask & { body: typeof deleteTaskSchema }>) {
  await deleteTask(deps, ctx, task);
  const back = body.returnTo;
  return redirect(
    back && !back.startsWith(`/tasks/${task.id}`) ? back : "/tasks",
    `Task “${task.title}” deleted.`,
  );
}
