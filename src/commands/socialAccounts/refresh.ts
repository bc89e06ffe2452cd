import type { Deps } from "../../deps";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { refreshIfDue, type RefreshOutcome } from "./tokens";

/**
 * The refresh job's work: the account loaded in its business (gone or disconnected: nothing to
 * do), then refreshed if its expiry is still within the window — a publish may have refreshed it
 * since the job was queued. An outage throws, and the job's retry tries again.
 */
export async function refreshAccountToken(
  deps: Deps,
  ctx: TenantContext,
  accountId: number,
): Promise<RefreshOutcome | "gone"> {
  const account = await deps.models.SocialAccount.findOne({
    where: tenantWhere(ctx, deps.models.SocialAccount, { id: accountId }),
  });
  if (!account) return "gone";
  return refreshIfDue(deps, account);
}
