import { membersWhoMay } from "../members";
import { Op, literal, type Includeable, type Order } from "sequelize";
import { addDays, localDate, zonedTime } from "../../lib/dates";
import { taskStatuses } from "../../models/Task";
import type { Customer, Task, TaskPriority } from "../../models";
import { can } from "../../policies/permissions";
import { authorize, restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { activeStatuses } from "./input";

export const taskViews = ["all", "mine"] as const;
/** "active" is open or in progress (the default); "any" is every status. */
export const statusFilters = ["active", "any", ...taskStatuses] as const;
export const dueFilters = ["overdue", "today", "week"] as const;
export const taskPageSize = 25;

export type TaskView = (typeof taskViews)[number];
export type StatusFilter = (typeof statusFilters)[number];
export type DueFilter = (typeof dueFilters)[number];

export interface TaskFilter {
  view: TaskView;
  status: StatusFilter;
  priority?: TaskPriority;
  assigneeId?: number;
  due?: DueFilter;
  /** 1-based. */
  page: number;
}

export const defaultTaskFilter: TaskFilter = { view: "all", status: "active", page: 1 };

export interface TaskPage {
  rows: Task[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** Start of the local day, as an instant. */
const startOf = (date: string, timeZone: string) =>
  zonedTime(date, { hour: 0, minute: 0 }, timeZone);

/**
 * The instants a due filter covers, in the business's time zone: today is local midnight to
 * midnight, this week is Monday 00:00 to the next Monday 00:00.
 */
export function dueRange(
  due: "today" | "week",
  now: Date,
  timeZone: string,
): { from: Date; to: Date } {
  const today = localDate(now, timeZone);
  if (due === "today")
    return { from: startOf(today, timeZone), to: startOf(addDays(today, 1), timeZone) };
  const [year, month, day] = today.split("-").map(Number) as [number, number, number];
  const sinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const monday = addDays(today, -sinceMonday);
  return { from: startOf(monday, timeZone), to: startOf(addDays(monday, 7), timeZone) };
}

function statusCondition(status: StatusFilter): Record<string, unknown> | null {
  if (status === "any") return null;
  if (status === "active") return { status: { [Op.in]: activeStatuses } };
  return { status };
}

function filterConditions(ctx: TenantContext, filter: TaskFilter, now: Date) {
  const conditions: Array<Record<string | symbol, unknown>> = [];
  const status = statusCondition(filter.status);
  if (status) conditions.push(status);
  if (filter.view === "mine") conditions.push({ assigneeId: ctx.user.id });
  else if (filter.assigneeId !== undefined) conditions.push({ assigneeId: filter.assigneeId });
  if (filter.priority) conditions.push({ priority: filter.priority });
  if (filter.due === "overdue") {
    conditions.push({ dueAt: { [Op.lt]: now } }, { status: { [Op.in]: activeStatuses } });
  } else if (filter.due) {
    const { from, to } = dueRange(filter.due, now, ctx.business.timeZone);
    conditions.push({ dueAt: { [Op.gte]: from, [Op.lt]: to } });
  }
  return conditions;
}

/** By due time, tasks without one last, then by id so pages never overlap. */
function taskOrder(deps: Deps): Order {
  const qi = deps.sequelize.getQueryInterface();
  const dueColumn = `${qi.quoteIdentifier("Task")}.${qi.quoteIdentifier("due_at")}`;
  return [
    [literal(`(CASE WHEN ${dueColumn} IS NULL THEN 1 ELSE 0 END)`), "ASC"],
    ["dueAt", "ASC"],
    ["id", "ASC"],
  ];
}

function taskIncludes(deps: Deps): Includeable[] {
  return [
    { model: deps.models.User, as: "assignee", attributes: ["id", "name"] },
    { model: deps.models.Customer, as: "customer", attributes: ["id", "name"] },
  ];
}

/** One page (25) of the tasks this member may see, filtered. */
export async function listTasks(
  deps: Deps,
  ctx: TenantContext,
  filter: TaskFilter,
  now = deps.clock.now(),
  /** The API's cursor pages: rows from an offset, any size (pages use `filter.page`). */
  window: { offset: number; limit: number } = {
    offset: (filter.page - 1) * taskPageSize,
    limit: taskPageSize,
  },
): Promise<TaskPage> {
  authorize(ctx, "tasks.manage");
  const where = tenantWhere(ctx, deps.models.Task, {
    [Op.and]: filterConditions(ctx, filter, now),
  });
  const total = await deps.models.Task.count({ where });
  const rows = await deps.models.Task.findAll({
    where,
    include: taskIncludes(deps),
    order: taskOrder(deps),
    limit: window.limit,
    offset: window.offset,
  });
  return {
    rows,
    total,
    page: filter.page,
    pages: Math.max(1, Math.ceil(total / taskPageSize)),
    pageSize: taskPageSize,
  };
}

/**
 * The tasks of one customer that this member may see, for the customer page: by due time, at most
 * `limit`. Members whose role has no tasks get an empty list rather than an error, so the
 * customer page still opens for them.
 */
export async function tasksOfCustomer(
  deps: Deps,
  ctx: TenantContext,
  customer: Pick<Customer, "id">,
  limit = 100,
): Promise<Task[]> {
  if (!can(ctx.membership.role, "tasks.manage")) return [];
  return deps.models.Task.findAll({
    where: tenantWhere(ctx, deps.models.Task, { customerId: customer.id }),
    include: taskIncludes(deps),
    order: taskOrder(deps),
    limit,
  });
}

/** One task of the current business (404 otherwise), with its assignee's and customer's names. */
export async function loadTask(deps: Deps, ctx: TenantContext, id: unknown): Promise<Task> {
  authorize(ctx, "tasks.manage");
  return findInBusiness(ctx, deps.models.Task, id, { include: taskIncludes(deps) });
}

export interface MemberOption {
  id: number;
  name: string;
}

/** Who a member may assign tasks to (sales: only themselves), by name. */
export async function assignableMembers(deps: Deps, ctx: TenantContext): Promise<MemberOption[]> {
  if (restrictedToOwnRecords(ctx)) return [{ id: ctx.user.id, name: ctx.user.name }];
  return membersWhoMay(deps, ctx);
}

/** A customer the member may link to a task (404 otherwise), for the form's "Customer" choice. */
export async function linkableCustomer(
  deps: Deps,
  ctx: TenantContext,
  id: unknown,
): Promise<MemberOption> {
  const customer = await findInBusiness(ctx, deps.models.Customer, id, {
    attributes: ["id", "name"],
  });
  return { id: customer.id, name: customer.name };
}
