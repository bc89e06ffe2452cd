import type { MemberOption, TaskFilter, TaskPage } from "../commands/tasks/list";
import { priorityLabels, priorityOptions, statusLabels, statusOptions, type Option } from "./task";

/** What the task pages put in their selects and pager: plain objects, built from the filter. */

function options(pairs: Array<[string, string]>, selected: unknown): Option[] {
  const wanted = selected === undefined || selected === null ? "" : String(selected);
  return pairs.map(([value, label]) => ({ value, label, selected: value === wanted }));
}

/** The filter form's choices, each with the current one selected. */
export function filterView(filter: TaskFilter, members: MemberOption[]) {
  return {
    viewOptions: options(
      [
        ["all", "All tasks"],
        ["mine", "Assigned to me"],
      ],
      filter.view,
    ),
    statusOptions: options(
      [["active", "Not finished"], ["any", "Any status"], ...Object.entries(statusLabels)],
      filter.status,
    ),
    priorityOptions: options(
      [["", "Any priority"], ...Object.entries(priorityLabels)],
      filter.priority,
    ),
    assigneeOptions: options(
      [["", "Anyone"], ...members.map((m): [string, string] => [String(m.id), m.name])],
      filter.assigneeId,
    ),
    dueOptions: options(
      [
        ["", "Any time"],
        ["overdue", "Overdue"],
        ["today", "Due today"],
        ["week", "Due this week"],
      ],
      filter.due,
    ),
  };
}

/** The list's address for a filter and page; defaults are left out so links stay short. */
export function listUrl(filter: TaskFilter, page = filter.page): string {
  const query = new URLSearchParams();
  if (filter.view !== "all") query.set("view", filter.view);
  if (filter.status !== "active") query.set("status", filter.status);
  if (filter.priority) query.set("priority", filter.priority);
  if (filter.assigneeId !== undefined) query.set("assigneeId", String(filter.assigneeId));
  if (filter.due) query.set("due", filter.due);
  if (page > 1) query.set("page", String(page));
  const text = query.toString();
  return text ? `/tasks?${text}` : "/tasks";
}

export function pagerView(filter: TaskFilter, page: TaskPage) {
  return {
    page: page.page,
    pages: page.pages,
    total: page.total,
    many: page.pages > 1,
    prev: page.page > 1 ? listUrl(filter, Math.min(page.page - 1, page.pages)) : null,
    next: page.page < page.pages ? listUrl(filter, page.page + 1) : null,
  };
}

export interface TaskFormChoices {
  members: MemberOption[];
  /** Members limited to their own records have no "Unassigned" choice. */
  canLeaveUnassigned: boolean;
  /** The task's current assignee, kept selectable even when not in `members`. */
  currentAssignee?: MemberOption | null;
  /** The linked customer, the only one the form offers besides "No customer". */
  customer?: MemberOption | null;
}

/** The create/edit form's selects, from the submitted or stored values. */
export function taskFormView(values: Record<string, unknown>, choices: TaskFormChoices) {
  const people = [...choices.members];
  const current = choices.currentAssignee;
  if (current && !people.some((m) => m.id === current.id)) people.push(current);
  const assignees: Array<[string, string]> = people.map((m) => [String(m.id), m.name]);
  if (choices.canLeaveUnassigned) assignees.unshift(["", "Unassigned"]);
  const customers: Array<[string, string]> = [["", "No customer"]];
  if (choices.customer) customers.push([String(choices.customer.id), choices.customer.name]);
  return {
    priorityOptions: priorityOptions(values.priority ?? "medium"),
    statusOptions: statusOptions(values.status ?? "open"),
    assigneeOptions: options(assignees, values.assigneeId),
    customerOptions: options(customers, values.customerId),
  };
}
