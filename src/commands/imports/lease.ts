import { randomUUID } from "node:crypto";
import type { Import, ImportStatus } from "../../models";
import { importLimits, type ImportDeps } from "./deps";
import { changedRows } from "../../db/bulk";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";

/**
 * One runner per import at a time, across processes: a runner claims the import with a lease
 * that it renews while it works. A runner that dies (SIGKILL, power loss) stops renewing, and the
 * import can be claimed again once the lease has run out. Each batch's checkpoint is written only
 * while the lease is held (see batchWriter.ts), so even two runners cannot both commit a batch.
 */
export type Claim =
  | { kind: "claimed"; owner: string; record: Import }
  | { kind: "held"; until: Date }
  | { kind: "idle" };

export async function claimImport(
  deps: ImportDeps,
  ctx: TenantContext,
  importId: number,
  from: ImportStatus[],
  to: ImportStatus,
): Promise<Claim> {
  const owner = randomUUID();
  const now = deps.clock.now();
  const claimed = await changedRows(
    deps.sequelize,
    `UPDATE imports SET status = :to, lease_owner = :owner, lease_expires_at = :until,
       run_started_at = :now, run_start_rows = processed_rows,
       started_at = COALESCE(started_at, :now), updated_at = :now
     WHERE id = :id AND business_id = :businessId AND status IN (:from)
       AND (lease_owner IS NULL OR lease_expires_at < :now)`,
    {
      id: importId,
      businessId: ctx.business.id,
      from,
      to,
      owner,
      now,
      until: leaseEnd(deps, now),
    },
  );
  const record = await deps.models.Import.findOne({
    where: tenantWhere(ctx, deps.models.Import, { id: importId }),
  });
  if (!record) return { kind: "idle" };
  if (claimed === 1 && record.leaseOwner === owner) return { kind: "claimed", owner, record };
  if (from.includes(record.status) && record.leaseExpiresAt)
    return { kind: "held", until: record.leaseExpiresAt };
  return { kind: "idle" };
}

export function leaseEnd(deps: ImportDeps, from = deps.clock.now()): Date {
  return new Date(from.getTime() + importLimits(deps.config).leaseSeconds * 1000);
}

/**
 * Renews the lease every third of its length until stopped; `lost` turns true when another runner
 * has taken over (the caller then stops at its next batch).
 */
export function keepLease(deps: ImportDeps, importId: number, owner: string) {
  const state = { lost: false };
  const renew = async () => {
    try {
      const kept = await changedRows(
        deps.sequelize,
        `UPDATE imports SET lease_expires_at = :until WHERE id = :id AND lease_owner = :owner`,
        { id: importId, owner, until: leaseEnd(deps) },
      );
      if (kept === 0) state.lost = true;
    } catch (error) {
      // A failed renewal is retried at the next tick; the lease is long enough for a few misses.
      deps.logger?.warn({ err: error, importId }, "import lease renewal failed");
    }
  };
  const timer = setInterval(
    () => void renew(),
    (importLimits(deps.config).leaseSeconds * 1000) / 3,
  );
  timer.unref();
  return {
    get lost() {
      return state.lost;
    },
    stop: () => clearInterval(timer),
  };
}

/** Gives the import up without finishing it (the next runner resumes at the checkpoint). */
export async function releaseImport(deps: ImportDeps, importId: number, owner: string) {
  await changedRows(
    deps.sequelize,
    `UPDATE imports SET lease_owner = NULL, lease_expires_at = NULL, updated_at = :now
     WHERE id = :id AND lease_owner = :owner`,
    { id: importId, owner, now: deps.clock.now() },
  );
}
