import { Op, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { sealSecret } from "../../lib/secretBox";
import type { SocialAccount, SocialNetwork } from "../../models";
import type { Scoped } from "../../tenancy/scope";
import { tenantWhere } from "../../tenancy/scope";
import type { TenantContext } from "../../tenancy/context";
import { networkName } from "../../integrations/social/http";
import { beyondLimitLock, limitOf } from "../../plans/planGate";

/** The business's accounts, connected or not, networks in a fixed order. */
export async function listAccounts(deps: Deps, ctx: Scoped): Promise<SocialAccount[]> {
  const rows = await deps.models.SocialAccount.findAll({
    where: tenantWhere(ctx, deps.models.SocialAccount, { status: { [Op.ne]: "disconnected" } }),
    order: [
      ["displayName", "ASC"],
      ["id", "ASC"],
    ],
  });
  const order: SocialNetwork[] = ["linkedin", "facebook", "instagram", "x"];
  return rows.sort((a, b) => order.indexOf(a.network) - order.indexOf(b.network));
}

/**
 * After a downgrade, the accounts beyond the plan's `socialAccounts` limit (the earliest connected
 * keep working) are read-only — kept, never deleted or disconnected, but nothing new is posted or
 * scheduled through them. Each one's lock (the plan gate's 402, its message and /pricing link),
 * by account id; empty when the business is within its plan.
 */
export async function accountLocks(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  transaction?: Transaction,
): Promise<Map<number, AppError>> {
  const locks = new Map<number, AppError>();
  if (!ctx.plan || limitOf(ctx.plan, "socialAccounts") < 0) return locks;
  const active = await deps.models.SocialAccount.findAll({
    where: tenantWhere(ctx, deps.models.SocialAccount, { status: { [Op.ne]: "disconnected" } }),
    attributes: ["id", "network", "displayName"],
    order: [["id", "ASC"]],
    transaction,
  });
  active.forEach((account, rank) => {
    const name = `${networkName(account.network)} ${account.displayName}`;
    const lock = beyondLimitLock(ctx.plan, "socialAccounts", rank, active.length, name);
    if (lock) locks.set(account.id, lock);
  });
  return locks;
}

/** Accounts that count against the plan's limit: every one not disconnected. */
export function countActive(deps: Deps, ctx: Scoped, transaction?: Transaction): Promise<number> {
  return deps.models.SocialAccount.count({
    where: tenantWhere(ctx, deps.models.SocialAccount, { status: { [Op.ne]: "disconnected" } }),
    transaction,
  });
}

export async function findAccount(deps: Deps, ctx: Scoped, id: number): Promise<SocialAccount> {
  const account = await deps.models.SocialAccount.findOne({
    where: tenantWhere(ctx, deps.models.SocialAccount, { id }),
  });
  if (!account || account.status === "disconnected")
    throw new AppError("not_found", "That social account does not exist.");
  return account;
}

/**
 * Disconnects: the tokens are wiped (nothing can post with them any more) but the row stays, so
 * the posts made through it keep their account; connecting it again revives the same row.
 */
export async function disconnectAccount(
  deps: Deps,
  ctx: TenantContext,
  account: SocialAccount,
): Promise<void> {
  const key = deps.config.secretsKey;
  account.status = "disconnected";
  account.accessTokenSealed = sealSecret(key, "");
  account.refreshTokenSealed = null;
  account.tokenExpiresAt = null;
  account.lastError = null;
  account.updatedAt = deps.clock.now();
  await account.save();
  deps.logger.info(
    { businessId: ctx.business.id, accountId: account.id, network: account.network },
    "social account disconnected",
  );
}
