import type { Task } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import type { Deps } from "../../deps";
import { signalDashboard } from "../../notifications/live";

/**
 * Deletes a task (loaded through findInBusiness by the caller). A reminder still queued for it
 * finds no task when it runs and does nothing, so there is nothing to cancel.
 */
export async function deleteTask(_deps: Deps, ctx: TenantContext, task: Task): Promise<void> {
  authorize(ctx, "tasks.manage");
  await task.destroy();
  await signalDashboard(task.businessId, ["tasks"]);
}
