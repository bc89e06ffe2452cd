import type { Request, Response } from "express";
import {
  assignableMembers,
  defaultTaskFilter,
  listTasks,
  type TaskFilter,
} from "../../commands/tasks/list";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { csrfToken } from "../../middleware/csrf";
import { presentTaskRow } from "../../presenters/task";
import { filterView, listUrl, pagerView } from "../../presenters/taskViews";
import type { TenantContext } from "../../tenancy/context";
import type { taskFilterSchema } from "./schema";

async function renderList(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  filter: TaskFilter,
  filterErrors: string[] = [],
) {
  const page = await listTasks(deps, ctx, filter);
  const now = deps.clock.now();
  const here = listUrl(filter);
  res.status(filterErrors.length ? 422 : 200).render("tasks/index", {
    title: "Tasks",
    csrfToken: csrfToken(req),
    filterErrors,
    tasks: page.rows.map((task) => presentTaskRow(task, ctx.business.timeZone, now)),
    here,
    hereParam: encodeURIComponent(here),
    pager: pagerView(filter, page),
    // Phones show the filter form folded unless a filter is set.
    filtersActive: filterErrors.length > 0 || listUrl(filter, 1) !== "/tasks",
    timeZone: ctx.business.timeZone,
    ...filterView(filter, await assignableMembers(deps, ctx)),
  });
}

/** GET /tasks: the filtered list. */
export function showTasks({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof taskFilterSchema }>) {
  return renderList(req, res, deps, ctx, query);
}

/** Filters that do not parse: the default list, with what was wrong above it (422). */
export function renderFilterFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderList(req, res, deps, ctx, defaultTaskFilter, Object.values(failure.errors));
}
