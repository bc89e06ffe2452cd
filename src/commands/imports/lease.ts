import {
  claimLease,
  keepLease,
  rawSql,
  releaseLease,
  type KeptLease,
  type Lease,
  type LeaseTarget,
} from "../../db/lease";
import type { Import, ImportStatus } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { importLimits, type ImportDeps } from "./deps";

/**
 * One runner per import at a time, across processes, through the generic lease (db/lease.ts).
 * Each batch's checkpoint is written only while the lease is held (see batchWriter.ts), so even
 * two runners cannot both commit a batch.
 */
export type Claim =
  | { kind: "claimed"; lease: Lease; record: Import }
  | { kind: "held"; lease: Lease }
  | { kind: "idle" };

function importTarget(businessId: number, importId: number): LeaseTarget {
  return { table: "imports", id: importId, scope: { business_id: businessId } };
}

function leaseMs(deps: ImportDeps): number {
  return importLimits(deps.config).leaseSeconds * 1000;
}

/** Claims an import in one of the `from` statuses for a run (or an undo), moving it to `to`. */
export async function claimImport(
  deps: ImportDeps,
  ctx: TenantContext,
  importId: number,
  from: ImportStatus[],
  to: ImportStatus,
): Promise<Claim> {
  const now = deps.clock.now();
  const claim = await claimLease(deps, importTarget(ctx.business.id, importId), {
    durationMs: leaseMs(deps),
    when: { status: from },
    set: {
      status: to,
      // Where this run began (time and checkpoint), for the rate and the ETA.
      run_started_at: now,
      run_start_rows: rawSql("processed_rows"),
      started_at: rawSql("COALESCE(started_at, :now)"),
      updated_at: now,
    },
  });
  if (claim.kind !== "claimed") return claim;
  const record = await deps.models.Import.findOne({
    where: tenantWhere(ctx, deps.models.Import, { id: importId }),
  });
  return record ? { kind: "claimed", lease: claim.lease, record } : { kind: "idle" };
}

/** Renews the runner's lease while it works; `lost` turns true when another runner took over. */
export function keepImportLease(deps: ImportDeps, record: Import, owner: string): KeptLease {
  return keepLease(deps, importTarget(record.businessId, record.id), owner, leaseMs(deps));
}

/** Gives the import up without finishing it: the next runner resumes at the checkpoint at once. */
export async function releaseImport(deps: ImportDeps, record: Import, owner: string) {
  return releaseLease(deps, importTarget(record.businessId, record.id), owner, {
    updated_at: deps.clock.now(),
  });
}
