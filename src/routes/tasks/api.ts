import { Router } from "express";
import type { z } from "zod";
import type { Deps } from "../../deps";
import { createTask } from "../../commands/tasks/create";
import { deleteTask } from "../../commands/tasks/delete";
import { listTasks, loadTask } from "../../commands/tasks/list";
import { updateTask } from "../../commands/tasks/update";
import { AppError } from "../../errors";
import { fieldErrors } from "../../lib/forms";
import { requireApiUser } from "../../middleware/bearerAuth";
import { requireFeature } from "../../plans/planGate";
import { presentTask } from "../../presenters/task";
import { requireBusiness, tenantOf } from "../../tenancy/context";
import { apiCreateTaskSchema, apiUpdateTaskSchema, taskFilterSchema } from "./schema";

/** The typed input, or 422 with the field errors. */
function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw AppError.validation(fieldErrors(parsed.error));
  return parsed.data;
}

/** /api/v1/tasks: the same commands and filters as the pages; due times are ISO 8601 instants. */
export function taskApi(deps: Deps): Router {
  const router = Router();
  router.use("/tasks", requireApiUser, requireBusiness, requireFeature("tasks"));

  router.get("/tasks", async (req, res) => {
    const ctx = tenantOf(req);
    const filter = parse(taskFilterSchema, req.query);
    const page = await listTasks(deps, ctx, filter);
    res.json({
      statusCode: 200,
      data: {
        tasks: page.rows.map(presentTask),
        page: page.page,
        pages: page.pages,
        pageSize: page.pageSize,
        total: page.total,
      },
      message: `${page.total} task(s).`,
    });
  });

  router.post("/tasks", async (req, res) => {
    const ctx = tenantOf(req);
    const input = parse(apiCreateTaskSchema, req.body);
    const task = await createTask(deps, ctx, input);
    const created = await loadTask(deps, ctx, task.id);
    res.status(201).json({ statusCode: 201, data: presentTask(created), message: "Task created." });
  });

  router.get("/tasks/:taskId", async (req, res) => {
    const task = await loadTask(deps, tenantOf(req), req.params.taskId);
    res.json({ statusCode: 200, data: presentTask(task), message: "Task." });
  });

  router.patch("/tasks/:taskId", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    const changes = parse(apiUpdateTaskSchema, req.body);
    await updateTask(deps, ctx, task, changes);
    // Reloaded: the assignee's and customer's names follow the new ids.
    const updated = await loadTask(deps, ctx, task.id);
    res.json({ statusCode: 200, data: presentTask(updated), message: "Task updated." });
  });

  router.delete("/tasks/:taskId", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    await deleteTask(deps, ctx, task);
    res.json({ statusCode: 200, data: { id: task.id }, message: "Task deleted." });
  });

  return router;
}
