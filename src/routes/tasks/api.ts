import { createTask } from "../../commands/tasks/create";
import { deleteTask } from "../../commands/tasks/delete";
import { listTasks, loadTask } from "../../commands/tasks/list";
import { updateTask } from "../../commands/tasks/update";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, encodeCursor, offsetPosition } from "../../http/pagination";
import type { Task } from "../../models";
import { presentTask } from "../../presenters/task";
import type {
  apiCreateTaskSchema,
  apiUpdateTaskSchema,
  apiTaskListSchema,
  taskParams,
} from "./schema";

type OneTask = { params: typeof taskParams; record: Task };

/**
 * GET /api/v1/tasks: the same filters as the page. The order (due time, then priority) has no
 * unique key to continue from, so the cursor holds an offset: a task added meanwhile can shift
 * a row between pages, never skip the list's end.
 */
export async function listApi({ deps, ctx, query }: ApiCall<{ query: typeof apiTaskListSchema }>) {
  const { cursor, limit, ...filters } = query;
  const offset = cursor ? decodeCursor(offsetPosition, cursor).offset : 0;
  const found = await listTasks(deps, ctx, { ...filters, page: 1 }, undefined, {
    offset,
    limit: limit + 1,
  });
  const more = found.rows.length > limit;
  const nextCursor = more ? encodeCursor({ offset: offset + limit }) : null;
  return page(found.rows.slice(0, limit).map(presentTask), nextCursor, `${found.total} task(s).`);
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
