import type { NextFunction, Request, Response } from "express";
import { csrfSync } from "csrf-sync";
import { AppError } from "../errors";

/**
 * Synchroniser-token CSRF protection (csrf-sync; csurf is deprecated). Forms send `_csrf`;
 * scripts (htmx) send the X-CSRF-Token header; multipart forms may put `_csrf` in the query.
 */
const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = typeof body?._csrf === "string" ? body._csrf : undefined;
    // A multipart form's body is read later (multer, in its route), so a script-less upload form
    // carries the token in its action's query string. Only multipart requests may do that.
    const fromQuery =
      req.is("multipart/form-data") && typeof req.query._csrf === "string"
        ? req.query._csrf
        : undefined;
    return fromBody ?? req.get("x-csrf-token") ?? fromQuery;
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
