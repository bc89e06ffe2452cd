import type { NextFunction, Request, Response } from "express";
import { csrfSync } from "csrf-sync";
import { AppError } from "../errors";

/**
 * Synchroniser-token CSRF protection (csrf-sync; csurf is deprecated). Forms send `_csrf`;
 * scripts (htmx) send the X-CSRF-Token header.
 */
const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = typeof body?._csrf === "string" ? body._csrf : undefined;
    return fromBody ?? req.get("x-csrf-token");
  },
});

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

export function csrfProtection(req: Request, _res: Response, next: NextFunction): void {
  if (safeMethods.has(req.method) || csrf.isRequestValid(req)) return next();
  next(new AppError("csrf_invalid"));
}

/** The token for this session, created (and the session saved) on first use. */
export function csrfToken(req: Request): string {
  return csrf.generateToken(req);
}
