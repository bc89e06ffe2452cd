import { formatDateTime, toLocalInput } from "../lib/dates";
import type { Task, TaskPriority, TaskStatus } from "../models";
import { taskPriorities, taskStatuses } from "../models/Task";

export const priorityLabels: Record<TaskPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};

export const statusLabels: Record<TaskStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  cancelled: "Cancelled",
};

/** Bootstrap badge classes: the louder the priority, the louder the colour. */
const priorityBadges: Record<TaskPriority, string> = {
  low: "text-bg-light border",
  medium: "text-bg-secondary",
  high: "text-bg-warning",
  urgent: "text-bg-danger",
};

const statusBadges: Record<TaskStatus, string> = {
  open: "text-bg-primary",
  in_progress: "text-bg-info",
  done: "text-bg-success",
  cancelled: "text-bg-light border",
};

export interface PresentedTask {
  id: number;
  title: string;
  description: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  /** ISO 8601 instant (UTC), or null. */
  dueAt: string | null;
  assigneeId: number | null;
  assignee: { id: number; name: string } | null;
  customerId: number | null;
  customer: { id: number; name: string } | null;
  createdById: number | null;
  createdAt: string;
  updatedAt: string;
}

/** The task as plain JSON: what the API answers and what pages build on. */
export function presentTask(task: Task): PresentedTask {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    priority: task.priority,
    status: task.status,
    dueAt: task.dueAt ? task.dueAt.toISOString() : null,
    assigneeId: task.assigneeId,
    assignee: task.assignee ? { id: task.assignee.id, name: task.assignee.name } : null,
    customerId: task.customerId,
    customer: task.customer ? { id: task.customer.id, name: task.customer.name } : null,
    createdById: task.createdById,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

/** For pages: labels, badge classes, the due time in the business's zone, and whether it is late. */
export function presentTaskRow(task: Task, timeZone: string, now = new Date()) {
  const active = task.status === "open" || task.status === "in_progress";
  return {
    ...presentTask(task),
    priorityLabel: priorityLabels[task.priority],
    priorityBadge: priorityBadges[task.priority],
    statusLabel: statusLabels[task.status],
    statusBadge: statusBadges[task.status],
    dueLabel: task.dueAt ? formatDateTime(task.dueAt, timeZone) : null,
    dueInput: task.dueAt ? toLocalInput(task.dueAt, timeZone) : "",
    overdue: active && task.dueAt !== null && task.dueAt.getTime() < now.getTime(),
    finished: !active,
    statusOptions: statusOptions(task.status),
  };
}

export interface Option {
  value: string;
  label: string;
  selected: boolean;
}

export function priorityOptions(selected: unknown): Option[] {
  return taskPriorities.map((p) => ({
    value: p,
    label: priorityLabels[p],
    selected: p === selected,
  }));
}

export function statusOptions(selected: unknown): Option[] {
  return taskStatuses.map((s) => ({ value: s, label: statusLabels[s], selected: s === selected }));
}
