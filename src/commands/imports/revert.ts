import { AppError } from "../../errors";
import { preferencesOf } from "../../lib/notificationPreferences";
import type { Import } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { businessScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { notify } from "../notifications";
import { importLimits, type ImportDeps } from "./deps";
import { claimImport, keepImportLease, releaseImport } from "./lease";
import { deleteCreated, removeCreatedTags, restoreChanged } from "./revertSteps";
import { deleteCreatedLeads } from "./leadImportUndo";
import type { RunOptions, RunOutcome } from "./run";

/**
 * Undo: the customers an import created are deleted (their tags, timeline and notes go with
 * them) unless work was done on them since, which keeps them (kept.ts); each field it changed on
 * an existing customer gets its old value back — unless the field has changed again since, which
 * then wins; tags it added are taken off, and tags it created that no customer carries any more
 * are deleted. Runs in the background in batches, each its own transaction with the undo's
 * checkpoint and counts, so a stopped or killed runner resumes where it stopped and the counts
 * stay exact. It works on the import's business as a whole (the record was loaded through the
 * member's scope; its customers are deleted whoever owns them now). The member who asked is
 * notified at the end.
 */
export function revertDeadline(record: Import, revertDays: number): Date | null {
  return record.finishedAt ? new Date(record.finishedAt.getTime() + revertDays * 86_400_000) : null;
}

export function canRevert(record: Import, revertDays: number, now: Date): boolean {
  const deadline = revertDeadline(record, revertDays);
  return (
    (record.status === "completed" || record.status === "failed") &&
    record.processedRows > 0 &&
    deadline !== null &&
    deadline > now
  );
}

const noLonger = "This import can no longer be undone.";

/** Marks the import for undo; the caller enqueues the revert job. */
export async function requestRevert(deps: ImportDeps, record: Import, userId: number) {
  const now = deps.clock.now();
  if (!canRevert(record, importLimits(deps.config).revertDays, now))
    throw new AppError("conflict", noLonger);
  const sql = tenantSql(deps, businessScope(record.businessId));
  const marked = await sql.changed`
    UPDATE imports SET status = 'reverting', reverted_by_id = ${userId}, seq = seq + 1,
      run_started_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND status IN ('completed', 'failed')`;
  if (marked !== 1) throw new AppError("conflict", noLonger);
  return record.reload();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The undo's outcome in a sentence (notification, history). */
export function undoSummaryOf(
  record: Pick<
    Import,
    "revertedDeletedCount" | "revertedRestoredCount" | "revertedKeptCount" | "revertedTagsCount"
  >,
): string {
  const parts = [
    `${plural(record.revertedDeletedCount, "customer")} deleted`,
    `${record.revertedRestoredCount} restored`,
    `${record.revertedKeptCount} kept because of work done since`,
  ];
  if (record.revertedTagsCount > 0)
    parts.push(`${plural(record.revertedTagsCount, "tag")} removed`);
  return `${parts.join(", ")}.`;
}

/** The member who asked for the undo hears how it went (their "Import finished" preference). */
async function notifyRequester(deps: ImportDeps, record: Import): Promise<void> {
  const userId = record.revertedById ?? record.userId;
  if (userId === null) return;
  const user = await deps.models.User.findByPk(userId, { attributes: ["id", "notificationPrefs"] });
  if (!user || !preferencesOf(user).importFinished) return;
  await notify(deps.models, [
    {
      businessId: record.businessId,
      userId,
      kind: "import_reverted",
      title: `Undo of the import of ${record.fileName} finished`,
      body: undoSummaryOf(record),
      link: `/imports/${record.id}`,
      dedupeKey: `import-reverted-${record.id}`,
    },
  ]);
}

/**
 * Marks the undo done. The requester is notified first (with the final counts): a runner killed
 * in between leaves it "reverting", and the next one notifies again — deduplicated — and ends it.
 */
async function finishRevert(deps: ImportDeps, record: Import, owner: string): Promise<void> {
  await record.reload();
  await notifyRequester(deps, record);
  const now = deps.clock.now();
  const sql = tenantSql(deps, businessScope(record.businessId));
  await sql.changed`
    UPDATE imports SET status = 'reverted', reverted_at = ${now}, lease_owner = NULL,
      lease_expires_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("imports")} AND id = ${record.id} AND lease_owner = ${owner}`;
}

/**
 * Runs an import's undo to the end (status "reverting" → "reverted"). Stopped by
 * `options.signal`, it gives the import up after the batch in progress (outcome "stopped").
 */
export async function runRevert(
  deps: ImportDeps,
  ctx: TenantContext,
  importId: number,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const claim = await claimImport(deps, ctx, importId, ["reverting"], "reverting");
  if (claim.kind === "held")
    return { kind: "held", until: claim.lease.expiresAt, epoch: claim.lease.epoch };
  if (claim.kind === "idle") return { kind: "idle" };
  const { record } = claim;
  const { owner } = claim.lease;
  const lease = keepImportLease(deps, record, owner);
  // Between batches (each its own transaction): taken over, or asked to stop.
  const interrupted = async (): Promise<RunOutcome | null> => {
    if (lease.lost) return { kind: "lost" };
    if (!options.signal?.aborted) return null;
    lease.stop();
    return (await releaseImport(deps, record, owner)) ? { kind: "stopped" } : { kind: "lost" };
  };
  try {
    await options.onClaimed?.(record);
    let stop: RunOutcome | null = null;
    // A lead import's leads first (commands/imports/leadImportUndo.ts); none for customer imports.
    while (!stop && (await deleteCreatedLeads(deps, record, owner)) > 0) stop = await interrupted();
    while (!stop && (await deleteCreated(deps, record, owner)) > 0) stop = await interrupted();
    while (!stop && (await restoreChanged(deps, record, owner)) > 0) stop = await interrupted();
    if (stop) return stop;
    await removeCreatedTags(deps, record, owner);
    await finishRevert(deps, record, owner);
    return { kind: "done" };
  } catch (error) {
    await releaseImport(deps, record, owner).catch(() => undefined);
    if (error instanceof AppError && error.id === "conflict") return { kind: "lost" };
    throw error;
  } finally {
    lease.stop();
  }
}
