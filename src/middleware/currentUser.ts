import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors";

/** Pages behind sign-in send visitors to the login page, then back. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.currentUser) return next();
  if (req.method !== "GET") return next(new AppError("unauthorized"));
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
}
