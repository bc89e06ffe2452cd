import { AppError } from "../errors";
import type { Business } from "../models";
import { assertWithinLimit } from "../plans/planGate";
import type { BusinessInput } from "../routes/businesses/schema";
import { planOfOwner } from "../plans/plans";
import type { BusinessRecord, TenantContext } from "../tenancy/context";
import { businessScope, ownBusiness, tenantWhere } from "../tenancy/scope";
import { logActivity } from "./activityLogger";
import { startTrial } from "./billing/subscriptions";
import type { Deps } from "../deps";

/** Creates a business with its creator as owner; the owner's plan limits how many they own. */
export async function createBusiness(
  deps: Deps,
  userId: number,
  input: BusinessInput,
): Promise<Business> {
  const { models, sequelize } = deps;
  const plan = await planOfOwner(models, userId);
  const owned = await models.Business.count({ where: { ownerId: userId } });
  assertWithinLimit(plan, "businesses", owned);
  const business = await sequelize.transaction(async (transaction) => {
    const created = await models.Business.create({ ...input, ownerId: userId }, { transaction });
    await models.Membership.create(
      { businessId: created.id, userId, role: "owner" },
      { transaction },
    );
    return created;
  });
  await logActivity(models, null, {
    userId,
    businessId: business.id,
    action: "business.created",
    details: { name: business.name },
  });
  // A new account's first business starts its Silver trial (BILLING_TRIAL_DAYS; docs/decisions.md).
  await startTrial(deps, userId, business.id);
  return business;
}

export async function updateBusiness(
  deps: Deps,
  ctx: TenantContext,
  input: BusinessInput,
): Promise<BusinessRecord> {
  await deps.models.Business.update(input, { where: ownBusiness(ctx) });
  await logActivity(deps.models, null, {
    userId: ctx.user.id,
    businessId: ctx.business.id,
    action: "business.updated",
  });
  return { ...ctx.business, ...input };
}

/**
 * Deletes the current business and everything in it. The owner must type the business's name:
 * this cannot be undone.
 */
export async function deleteBusiness(
  deps: Deps,
  ctx: TenantContext,
  confirmation: string,
): Promise<boolean> {
  if (confirmation !== ctx.business.name) return false;
  const { models } = deps;
  await deps.sequelize.transaction(async (transaction) => {
    await models.Invitation.destroy({ where: tenantWhere(ctx, models.Invitation), transaction });
    await models.Membership.destroy({ where: tenantWhere(ctx, models.Membership), transaction });
    // People keep their own activity log; it just no longer names the business.
    await models.ActivityLog.update(
      { businessId: null },
      { where: tenantWhere(ctx, models.ActivityLog), transaction },
    );
    await models.Business.destroy({ where: ownBusiness(ctx), transaction });
  });
  await logActivity(deps.models, null, {
    userId: ctx.user.id,
    action: "business.deleted",
    details: { name: ctx.business.name },
  });
  return true;
}

/** The business a member may switch to, or 404 when they are not a member of it. */
export async function membershipFor(deps: Deps, userId: number, businessId: unknown) {
  const id = Number(businessId);
  const membership =
    Number.isSafeInteger(id) && id > 0
      ? await deps.models.Membership.findOne({
          where: tenantWhere(businessScope(id), deps.models.Membership, { userId }),
        })
      : null;
  if (!membership) throw AppError.notFound();
  return membership;
}
