import type { NextFunction, Request, Response } from "express";
import { csrfSync } from "csrf-sync";
import { AppError } from "../errors";

/**
 * Synchroniser-token CSRF protection (csrf-sync; csurf is deprecated). Forms send `_csrf`;
 * scripts (htmx, the photo cropper) send the X-CSRF-Token header. Never in a URL: a token there
 * shows in the address bar, the history and Referer headers.
 */
const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = typeof body?._csrf === "string" ? body._csrf : undefined;
    return fromBody ?? req.get("x-csrf-token");
  },
});

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Multipart forms whose `_csrf` field is read with their files, by the endpoint's input step. */
const deferred = new WeakSet<Request>();

export function csrfProtection(req: Request, _res: Response, next: NextFunction): void {
  if (safeMethods.has(req.method) || csrf.isRequestValid(req)) return next();
  // A multipart body is read in its route (after access checks, before validation), so its
  // hidden `_csrf` field is not known yet: the route's input step checks it (checkDeferredCsrf).
  if (req.is("multipart/form-data") && req.get("x-csrf-token") === undefined) {
    deferred.add(req);
    return next();
  }
  next(new AppError("csrf_invalid"));
}

/**
 * Run by every page endpoint once its body is read (http/chain.ts, inputStep): a multipart form
 * whose check was deferred passes only with a valid `_csrf` field; an endpoint that reads no
 * multipart body has none, so the request is refused before its handler runs.
 */
export function checkDeferredCsrf(req: Request): void {
  if (!deferred.has(req)) return;
  deferred.delete(req);
  if (!csrf.isRequestValid(req)) throw new AppError("csrf_invalid");
}

/** The token for this session, created (and the session saved) on first use. */
export function csrfToken(req: Request): string {
  return csrf.generateToken(req);
}
