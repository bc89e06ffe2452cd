import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import { createTask } from "../../commands/tasks/create";
import { deleteTask } from "../../commands/tasks/delete";
import {
  assignableMembers,
  defaultTaskFilter,
  linkableCustomer,
  listTasks,
  loadTask,
  type MemberOption,
} from "../../commands/tasks/list";
import { updateTask } from "../../commands/tasks/update";
import { AppError, isAppError } from "../../errors";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { requireFeature } from "../../plans/planGate";
import { presentTaskRow, statusLabels } from "../../presenters/task";
import { filterView, listUrl, pagerView, taskFormView } from "../../presenters/taskViews";
import {
  authorize,
  requireBusiness,
  restrictedToOwnRecords,
  tenantOf,
} from "../../tenancy/context";
import type { Task } from "../../models";
import { returnTo, statusFormSchema, taskFilterSchema, taskFormSchema } from "./schema";

type Values = Record<string, unknown>;

const localPath = (value: unknown) => returnTo.parse(typeof value === "string" ? value : undefined);

/** Field errors a command raised (assignee, customer), to show beside the inputs. */
function fieldErrorsOf(error: unknown): FieldErrors | null {
  if (!isAppError(error) || error.id !== "validation_failed") return null;
  return (error.details?.fields as FieldErrors | undefined) ?? { form: error.message };
}

/** Tasks: the filtered list, create and edit forms, quick status change and delete. */
export function taskPages(deps: Deps): Router {
  const router = Router();
  router.use("/tasks", requireUser, requireBusiness, requireFeature("tasks"));

  /** The form, new or edit, with its choices; `customerId` is shown with its name when linkable. */
  async function renderForm(
    req: Request,
    res: Response,
    options: { task?: Task; values: Values; errors?: FieldErrors; status?: number },
  ) {
    const ctx = tenantOf(req);
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

  router.get("/tasks", async (req, res) => {
    const ctx = tenantOf(req);
    const parsed = parseForm(taskFilterSchema, req.query);
    const filter = parsed.ok ? parsed.data : defaultTaskFilter;
    const page = await listTasks(deps, ctx, filter);
    const now = new Date();
    const here = listUrl(filter);
    res.status(parsed.ok ? 200 : 422).render("tasks/index", {
      title: "Tasks",
      csrfToken: csrfToken(req),
      filterErrors: parsed.ok ? [] : Object.values(parsed.errors),
      tasks: page.rows.map((task) => presentTaskRow(task, ctx.business.timeZone, now)),
      here,
      hereParam: encodeURIComponent(here),
      pager: pagerView(filter, page),
      timeZone: ctx.business.timeZone,
      ...filterView(filter, await assignableMembers(deps, ctx)),
    });
  });

  router.get("/tasks/new", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "tasks.manage");
    const back = localPath(req.query.returnTo);
    const linked = req.query.customerId
      ? await linkableCustomer(deps, ctx, req.query.customerId)
      : null;
    await renderForm(req, res, {
      values: {
        priority: "medium",
        status: "open",
        assigneeId: ctx.user.id,
        customerId: linked?.id,
        returnTo: back,
      },
    });
  });

  router.post("/tasks", async (req, res) => {
    const ctx = tenantOf(req);
    const input = parseForm(taskFormSchema(ctx.business.timeZone), req.body);
    if (!input.ok)
      return renderForm(req, res, { values: req.body, errors: input.errors, status: 422 });
    const { returnTo: back, ...fields } = input.data;
    try {
      const task = await createTask(deps, ctx, fields);
      flash(req, "success", `Task “${task.title}” created.`);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      return renderForm(req, res, { values: req.body, errors, status: 422 });
    }
    res.redirect(back ?? "/tasks");
  });

  router.get("/tasks/:taskId", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    const row = presentTaskRow(task, ctx.business.timeZone);
    const back = localPath(req.query.returnTo);
    await renderForm(req, res, {
      task,
      values: {
        title: row.title,
        description: row.description ?? "",
        priority: row.priority,
        status: row.status,
        dueAt: row.dueInput,
        assigneeId: row.assigneeId ?? "",
        customerId: row.customerId ?? "",
        returnTo: back,
      },
    });
  });

  router.post("/tasks/:taskId", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    const input = parseForm(taskFormSchema(ctx.business.timeZone), req.body);
    if (!input.ok)
      return renderForm(req, res, { task, values: req.body, errors: input.errors, status: 422 });
    const { returnTo: back, ...fields } = input.data;
    try {
      await updateTask(deps, ctx, task, fields);
    } catch (error) {
      const errors = fieldErrorsOf(error);
      if (!errors) throw error;
      // The checks run before anything is written: the task is still as loaded.
      return renderForm(req, res, { task, values: req.body, errors, status: 422 });
    }
    flash(req, "success", `Task “${task.title}” saved.`);
    res.redirect(back ?? "/tasks");
  });

  router.post("/tasks/:taskId/status", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    const input = parseForm(statusFormSchema, req.body);
    if (!input.ok) throw AppError.validation(input.errors, Object.values(input.errors)[0]);
    await updateTask(deps, ctx, task, { status: input.data.status });
    flash(req, "success", `“${task.title}” is now ${statusLabels[task.status].toLowerCase()}.`);
    res.redirect(input.data.returnTo ?? "/tasks");
  });

  router.get("/tasks/:taskId/delete", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    const back = localPath(req.query.returnTo);
    res.render("tasks/delete", {
      title: "Delete task",
      csrfToken: csrfToken(req),
      task: presentTaskRow(task, ctx.business.timeZone),
      returnTo: back,
    });
  });

  router.post("/tasks/:taskId/delete", async (req, res) => {
    const ctx = tenantOf(req);
    const task = await loadTask(deps, ctx, req.params.taskId);
    const back = localPath(req.body.returnTo);
    await deleteTask(deps, ctx, task);
    flash(req, "success", `Task “${task.title}” deleted.`);
    // Back to the list, never to the page of the task that is gone.
    res.redirect(back && !back.startsWith(`/tasks/${task.id}`) ? back : "/tasks");
  });

  return router;
}
