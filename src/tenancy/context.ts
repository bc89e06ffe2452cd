import type { NextFunction, Request, Response } from "express";
import type { Sequelize } from "sequelize";
import { AppError } from "../errors";
import type { Models } from "../models";
import { can, seesOnlyOwnRecords, type Action } from "../policies/permissions";
import type { PresentedUser } from "../presenters/user";
import { currentTiming } from "../lib/requestTiming";
import { contextForSession, type SessionRead } from "./loader";
import type { RequestContext, TenantContext } from "./records";

export type {
  BusinessRecord,
  BusinessSummary,
  MembershipRecord,
  RequestContext,
  TenantContext,
} from "./records";

declare module "express-serve-static-core" {
  interface Request {
    ctx?: RequestContext;
    currentUser?: PresentedUser;
  }
}

/** Puts a loaded context on the request and the locals every page's layout reads. */
export function attachContext(req: Request, res: Response, ctx: RequestContext): void {
  req.ctx = ctx;
  req.currentUser = ctx.user;
  res.locals.currentUser = ctx.user;
  res.locals.currentBusiness = ctx.business
    ? { id: ctx.business.id, name: ctx.business.name, role: ctx.membership?.role }
    : null;
  res.locals.businesses = ctx.businesses;
}

/**
 * Builds req.ctx for a signed-in browser session: their businesses, the current one (from the
 * session), their role in it, and its plan — read fresh on every request (with the session's own
 * row), so revocations apply at once. Page loads (GET) also get the unread-notification count. A
 * session whose user is gone is signed out.
 */
export function sessionContext(deps: { models: Models; sequelize?: Sequelize }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const userId = req.session?.userId;
    if (userId === undefined) return next();
    // The session store read this user's context rows with the session (one statement).
    const read = currentTiming()?.sessionRead as SessionRead | undefined;
    const ctx = await contextForSession(deps, read?.sid === req.sessionID ? read : undefined, {
      userId,
      businessId: req.session.businessId ?? null,
      countUnread: req.method === "GET",
    });
    if (!ctx) {
      delete req.session.userId;
      return next();
    }
    attachContext(req, res, ctx);
    next();
  };
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
