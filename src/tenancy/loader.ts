import type { Models } from "../models";
import { fallbackPlanCode, planByCode } from "../plans/plans";
import { presentUser } from "../presenters/user";
import type { RequestContext, TenantContext } from "./context";
import { businessRecordOf, membershipRecordOf } from "./records";

/**
 * The one loader of tenant contexts: the page middleware, bearer authentication, every job and the
 * tests build a context only through these two functions, so a request and a job acting for the
 * same member in the same business see exactly the same rights, plan and scope.
 */
export interface ContextQuery {
  userId: number;
  /** The business wanted; the member's first business when absent or not theirs (pages only). */
  businessId?: number | null;
}

/**
 * Who the user is and where: their businesses, the chosen one with their role and its owner's
 * plan. Null when the user no longer exists.
 */
export async function loadRequestContext(
  deps: { models: Models },
  query: ContextQuery,
): Promise<RequestContext | null> {
  const { models } = deps;
  const user = await models.User.findByPk(query.userId);
  if (!user) return null;
  const memberships = await models.Membership.findAll({
    where: { userId: query.userId },
    include: [
      {
        model: models.Business,
        as: "business",
        required: true,
        include: [{ model: models.User, as: "owner", attributes: ["id", "planCode"] }],
      },
    ],
    order: [["createdAt", "ASC"]],
  });
  const chosen =
    memberships.find((m) => m.businessId === query.businessId) ?? memberships[0] ?? null;
  const business = chosen?.business ?? null;
  return {
    user: presentUser(user),
    business: business ? businessRecordOf(business) : null,
    membership: chosen ? membershipRecordOf(chosen) : null,
    plan: business ? await planByCode(models, business.owner?.planCode ?? fallbackPlanCode) : null,
    businesses: memberships.map((m) => ({
      id: m.businessId,
      name: m.business?.name ?? "",
      role: m.role,
    })),
    system: false,
  };
}

/**
 * The context of work done in one business: for a member (userId), exactly what their request
 * would carry; for the business's own scheduled work (userId null), its owner's rights, marked
 * `system`. Null when the business is gone or the user is no longer a member of it — the work is
 * then no longer anyone's to do.
 */
export async function loadTenantContext(
  deps: { models: Models },
  query: { businessId: number; userId: number | null },
): Promise<TenantContext | null> {
  let userId = query.userId;
  if (userId === null) {
    const business = await deps.models.Business.findByPk(query.businessId, {
      attributes: ["id", "ownerId"],
    });
    if (!business) return null;
    userId = business.ownerId;
  }
  const ctx = await loadRequestContext(deps, { userId, businessId: query.businessId });
  if (!ctx?.business || ctx.business.id !== query.businessId || !ctx.membership || !ctx.plan)
    return null;
  return {
    ...ctx,
    business: ctx.business,
    membership: ctx.membership,
    plan: ctx.plan,
    system: query.userId === null,
  };
}
