import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import { taskExample, taskSchema } from "./apiResponses";
import { routes, type Endpoint } from "../../http/endpoint";
import type { TenantContext } from "../../tenancy/context";
import { createApi, deleteApi, listApi, showApi, updateApi } from "./api";
import { renderFilterFailure, showTasks } from "./listPages";
import {
  confirmDelete,
  create,
  loadTask,
  remove,
  renderTaskFailure,
  setStatus,
  showNew,
  showTask,
  update,
} from "./pages";
import {
  apiCreateTaskSchema,
  apiTaskListSchema,
  apiUpdateTaskSchema,
  deleteTaskSchema,
  newTaskQuery,
  returnToQuery,
  statusFormSchema,
  taskFilterSchema,
  taskFormSchema,
  taskParams,
} from "./schema";

/** The form's due time is typed in the business's time zone. */
const taskForm = (ctx: TenantContext) => taskFormSchema(ctx.business.timeZone);
const shows = ["validation_failed"] as const;

const page = routes({ auth: "page", feature: "tasks" });
const api = routes({ auth: "api", feature: "tasks" });

/** Tasks: the filtered list, create and edit forms, quick status change, delete; and the API. */
export const taskEndpoints: Endpoint[] = [
  page.get("/tasks", "tasks.manage", {
    query: taskFilterSchema,
    form: { render: renderFilterFailure },
    handler: showTasks,
  }),
  page.get("/tasks/new", "tasks.manage", { query: newTaskQuery, handler: showNew }),
  page.post("/tasks", "tasks.manage", {
    body: taskForm,
    form: { render: renderTaskFailure, shows },
    handler: create,
  }),
  page.get("/tasks/:taskId", "tasks.manage", {
    params: taskParams,
    load: loadTask,
    query: returnToQuery,
    handler: showTask,
  }),
  page.post("/tasks/:taskId", "tasks.manage", {
    params: taskParams,
    load: loadTask,
    body: taskForm,
    form: { render: renderTaskFailure, shows },
    handler: update,
  }),
  page.post("/tasks/:taskId/status", "tasks.manage", {
    params: taskParams,
    load: loadTask,
    body: statusFormSchema,
    handler: setStatus,
  }),
  page.get("/tasks/:taskId/delete", "tasks.manage", {
    params: taskParams,
    load: loadTask,
    query: returnToQuery,
    handler: confirmDelete,
  }),
  page.post("/tasks/:taskId/delete", "tasks.manage", {
    params: taskParams,
    load: loadTask,
    body: deleteTaskSchema,
    handler: remove,
  }),
  api.get("/api/v1/tasks", "tasks.manage", {
    summary: "List tasks (the task page's filters)",
    query: apiTaskListSchema,
    response: respondsList(taskSchema, [taskExample]),
    handler: listApi,
  }),
  api.post("/api/v1/tasks", "tasks.manage", {
    summary: "Create a task",
    body: apiCreateTaskSchema,
    response: responds(taskSchema, taskExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/tasks/:taskId", "tasks.manage", {
    summary: "One task",
    response: responds(taskSchema, taskExample),
    params: taskParams,
    load: loadTask,
    handler: showApi,
  }),
  api.patch("/api/v1/tasks/:taskId", "tasks.manage", {
    summary: "Change a task (only the fields sent)",
    response: responds(taskSchema, taskExample),
    params: taskParams,
    load: loadTask,
    body: apiUpdateTaskSchema,
    handler: updateApi,
  }),
  api.delete("/api/v1/tasks/:taskId", "tasks.manage", {
    summary: "Delete a task",
    response: responds(deletedSchema, { id: 12 }),
    params: taskParams,
    load: loadTask,
    handler: deleteApi,
  }),
];
