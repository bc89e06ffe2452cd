import { rm } from "node:fs/promises";
import type { Import } from "../../models";
import { preferencesOf } from "../../lib/notificationPreferences";
import { notify } from "../notifications";
import { storedFile, type ImportDeps } from "./deps";
import { changedRows } from "../../db/bulk";

/** The end of an import: its status, the stored file removed, and its starter notified. */
export async function removeStoredFile(deps: ImportDeps, record: Import): Promise<void> {
  if (!record.storedName) return;
  await rm(storedFile(deps.config, record.storedName), { force: true });
  await changedRows(deps.sequelize, `UPDATE imports SET stored_name = NULL WHERE id = :id`, {
    id: record.id,
  });
}

export function summaryOf(
  record: Pick<Import, "createdCount" | "updatedCount" | "skippedCount" | "failedCount">,
): string {
  return (
    `${record.createdCount} created, ${record.updatedCount} updated, ` +
    `${record.skippedCount} skipped as duplicates, ${record.failedCount} failed.`
  );
}

async function notifyStarter(deps: ImportDeps, record: Import): Promise<void> {
  if (record.userId === null) return;
  const user = await deps.models.User.findByPk(record.userId, {
    attributes: ["id", "notificationPrefs"],
  });
  if (!user || !preferencesOf(user).importFinished) return;
  const failed = record.status === "failed";
  await notify(deps.models, [
    {
      businessId: record.businessId,
      userId: record.userId,
      kind: "import_finished",
      title: failed
        ? `Import of ${record.fileName} failed`
        : `Import of ${record.fileName} finished`,
      body: failed ? record.errorMessage : summaryOf(record),
      link: `/imports/${record.id}`,
      dedupeKey: `import-finished-${record.id}`,
    },
  ]);
}

/**
 * Completed: every row consumed. Only the lease holder may say so. The starter is notified first
 * (with the counts of the last checkpoint, which are final): a runner killed in between leaves the
 * import running, and the one that takes over notifies again — deduplicated — and completes it.
 */
export async function completeImport(deps: ImportDeps, record: Import, owner: string) {
  await record.reload();
  await notifyStarter(deps, record);
  const now = deps.clock.now();
  const done = await changedRows(
    deps.sequelize,
    `UPDATE imports SET status = 'completed', finished_at = :now, total_rows = processed_rows,
       lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
     WHERE id = :id AND lease_owner = :owner`,
    { id: record.id, owner, now },
  );
  if (done !== 1) return;
  await record.reload();
  await removeStoredFile(deps, record);
}

/**
 * Failed with a reason the user can act on (a broken file, a plan limit). Rows committed before
 * stay, and the import can still be undone. `owner` is the lease holder, when there is one.
 */
export async function failImport(
  deps: ImportDeps,
  record: Import,
  reason: { id: string; message: string },
  owner: string | null,
) {
  const now = deps.clock.now();
  const done = await changedRows(
    deps.sequelize,
    `UPDATE imports SET status = 'failed', error_id = :errorId, error_message = :message,
       finished_at = :now, lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
     WHERE id = :id AND ${owner ? "lease_owner = :owner" : "lease_owner IS NULL"}`,
    { id: record.id, owner, now, errorId: reason.id, message: reason.message.slice(0, 500) },
  );
  if (done !== 1) return;
  await record.reload();
  await removeStoredFile(deps, record);
  await notifyStarter(deps, record);
}
