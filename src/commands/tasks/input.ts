import { AppError, isAppError } from "../../errors";
import type { TaskPriority, TaskStatus } from "../../models";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";

/** Every field a person sets on a task; pages and the API both hand the commands this shape. */
export interface TaskFields {
  title: string;
  description: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  dueAt: Date | null;
  assigneeId: number | null;
  customerId: number | null;
}

/** A new task: only the title is required (assignee defaults to the author). */
export type NewTask = Partial<TaskFields> & { title: string };
/** A change: the fields given are set, the others are left as they are. */
export type TaskChanges = Partial<TaskFields>;

/** Statuses of work still to do: reminders and "overdue" concern only these. */
export const activeStatuses: readonly TaskStatus[] = ["open", "in_progress"];

export function isActive(status: TaskStatus): boolean {
  return activeStatuses.includes(status);
}

export const messages = {
  assigneeNotMember: "Choose a member of this business.",
  assigneeSelfOnly: "You can assign tasks only to yourself.",
  customerUnknown: "Choose a customer of this business.",
};

/**
 * MySQL DATETIME keeps whole seconds: a due time with milliseconds would read back different
 * from what the reminder was queued for, so due times are whole seconds everywhere.
 */
export function wholeSeconds(date: Date | null): Date | null {
  return date ? new Date(Math.floor(date.getTime() / 1000) * 1000) : null;
}

/**
 * The assignee a member may set. People limited to their own records (sales) assign only to
 * themselves; everyone else assigns to any member, or to nobody. `current` is accepted as is, so
 * editing a task someone else assigned does not force a change.
 */
export async function checkAssignee(
  deps: Deps,
  ctx: TenantContext,
  wanted: number | null,
  current?: number | null,
): Promise<number | null> {
  if (current !== undefined && wanted === current) return wanted;
  if (restrictedToOwnRecords(ctx)) {
    if (wanted !== ctx.user.id)
      throw AppError.validation({ assigneeId: messages.assigneeSelfOnly });
    return wanted;
  }
  if (wanted === null) return null;
  const member = await deps.models.Membership.count({
    where: tenantWhere(ctx, deps.models.Membership, { userId: wanted }),
  });
  if (!member) throw AppError.validation({ assigneeId: messages.assigneeNotMember });
  return wanted;
}

/**
 * The id of the customer to link, loaded through the tenant scope: a customer of another business
 * (or, for sales, one they do not own) is a field error. An unchanged link is kept as it is, even
 * if this member could not have picked it (a manager linked it).
 */
export async function checkCustomer(
  deps: Deps,
  ctx: TenantContext,
  wanted: number | null,
  current?: number | null,
): Promise<number | null> {
  if (wanted === null) return null;
  if (current !== undefined && wanted === current) return wanted;
  try {
    return (await findInBusiness(ctx, deps.models.Customer, wanted)).id;
  } catch (error) {
    if (isAppError(error) && error.id === "not_found")
      throw AppError.validation({ customerId: messages.customerUnknown });
    throw error;
  }
}
