import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors";
import type { Business, Membership, Models, Plan } from "../models";
import { can, seesOnlyOwnRecords, type Action, type Role } from "../policies/permissions";
import type { PresentedUser } from "../presenters/user";

export interface BusinessSummary {
  id: number;
  name: string;
  role: Role;
}

/** Who is asking, in which business, with which role and plan. Services take this first. */
export interface RequestContext {
  user: PresentedUser;
  business: Business | null;
  membership: Membership | null;
  /** The plan of the current business's owner; null without a business. */
  plan: Plan | null;
  businesses: BusinessSummary[];
}

/** A context with a business: what every tenant-scoped service needs. */
export interface TenantContext extends RequestContext {
  business: Business;
  membership: Membership;
  plan: Plan;
}

declare module "express-serve-static-core" {
  interface Request {
    ctx?: RequestContext;
  }
}

/**
 * Builds req.ctx for a signed-in person (browser session or API token): their businesses, the
 * current one (from the session, or X-Business-Id for the API), their role in it, and its plan.
 */
export function tenantContext(models: Models) {
  const plans = new PlanCache(models);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (!req.currentUser) return next();
    // One query: memberships, their businesses and each owner's plan code.
    const memberships = await models.Membership.findAll({
      where: { userId: req.currentUser.id },
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
    const wanted = Number(req.session?.businessId ?? req.get("x-business-id") ?? Number.NaN);
    const membership = memberships.find((m) => m.businessId === wanted) ?? memberships[0] ?? null;
    const business = membership?.business ?? null;
    const plan = business ? await plans.get(business.owner?.planCode ?? "free") : null;
    req.ctx = {
      user: req.currentUser,
      business,
      membership,
      plan,
      businesses: memberships.map((m) => ({
        id: m.businessId,
        name: m.business?.name ?? "",
        role: m.role,
      })),
    };
    res.locals.currentBusiness = business
      ? { id: business.id, name: business.name, role: membership?.role }
      : null;
    res.locals.businesses = req.ctx.businesses;
    next();
  };
}

/**
 * Plans are reference rows that change only with a migration or an operator's edit, so each
 * process keeps them for a minute instead of reading them on every request.
 */
class PlanCache {
  private readonly entries = new Map<string, { plan: Plan | null; until: number }>();

  constructor(private readonly models: Models) {}

  async get(code: string): Promise<Plan | null> {
    const cached = this.entries.get(code);
    if (cached && cached.until > Date.now()) return cached.plan;
    const plan = await this.models.Plan.findOne({ where: { code } });
    this.entries.set(code, { plan, until: Date.now() + 60_000 });
    return plan;
  }
}

/** The context of a request that must be in a business (use after requireBusiness). */
export function tenantOf(req: Request): TenantContext {
  const ctx = req.ctx;
  if (!ctx?.business || !ctx.membership || !ctx.plan) throw AppError.notFound();
  return ctx as TenantContext;
}

/** Pages that need a business send people without one to create their first. */
export function requireBusiness(req: Request, res: Response, next: NextFunction): void {
  if (req.ctx?.business) return next();
  if (req.originalUrl.startsWith("/api/"))
    return next(new AppError("forbidden", "Choose a business first (X-Business-Id)."));
  res.redirect("/onboarding");
}

/** Throws 403 unless the member's role allows the action. */
export function authorize(ctx: TenantContext, action: Action): void {
  if (!can(ctx.membership.role, action)) throw AppError.forbidden();
}

export function restrictedToOwnRecords(ctx: TenantContext): boolean {
  return seesOnlyOwnRecords(ctx.membership.role);
}
