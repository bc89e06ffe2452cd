import { createTask } from "../../commands/tasks/create";
import { deleteTask } from "../../commands/tasks/delete";
import { listTasks, loadTask } from "../../commands/tasks/list";
import { updateTask } from "../../commands/tasks/update";
import type { ApiCall } from "../../http/endpoint";
import { reply } from "../../http/outcomes";
import type { Task } from "../../models";
import { presentTask } from "../../presenters/task";
import type {
  apiCreateTaskSchema,
  apiUpdateTaskSchema,
  taskFilterSchema,
  taskParams,
} from "./schema";

type OneTask = { params: typeof taskParams; record: Task };

/** GET /api/v1/tasks: the same filters as the page. */
export async function listApi({ deps, ctx, query }: ApiCall<{ query: typeof taskFilterSchema }>) {
  const page = await listTasks(deps, ctx, query);
  return reply(
    {
      tasks: page.rows.map(presentTask),
      page: page.page,
      pages: page.pages,
      pageSize: page.pageSize,
      total: page.total,
    },
    `${page.total} task(s).`,
  );
}

/** POST /api/v1/tasks */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof apiCreateTaskSchema }>) {
  const task = await createTask(deps, ctx, body);
  const created = await loadTask(deps, ctx, task.id);
  return reply(presentTask(created), "Task created.", { status: 201 });
}

/** GET /api/v1/tasks/:taskId */
export function showApi({ record: task }: ApiCall<OneTask>) {
  return reply(presentTask(task), "Task.");
}

/** PATCH /api/v1/tasks/:taskId: reloaded after, so the names follow the new ids. */
export async function updateApi({
  deps,
  ctx,
  body,
  record: task,
}: ApiCall<OneTask & { body: typeof apiUpdateTaskSchema }>) {
  await updateTask(deps, ctx, task, body);
  return reply(presentTask(await loadTask(deps, ctx, task.id)), "Task updated.");
}

/** DELETE /api/v1/tasks/:taskId */
export async function deleteApi({ deps, ctx, record: task }: ApiCall<OneTask>) {
  await deleteTask(deps, ctx, task);
  return reply({ id: task.id }, "Task deleted.");
}
