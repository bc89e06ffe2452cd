import type { NextFunction, Request, Response } from "express";
import { AppError } from "../errors";
import type { Models, User } from "../models";
import { presentUser, type PresentedUser } from "../presenters/user";

declare module "express-serve-static-core" {
  interface Request {
    currentUser?: PresentedUser;
    /** The signed-in person's row, for commands that change it. */
    currentUserRecord?: User;
  }
}

/** Loads the signed-in user; a session whose user is gone is signed out. */
export function loadCurrentUser(models: Models) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const userId = req.session?.userId;
    if (userId === undefined) return next();
    const user = await models.User.findByPk(userId);
    if (!user) {
      delete req.session.userId;
      return next();
    }
    req.currentUserRecord = user;
    req.currentUser = presentUser(user);
    res.locals.currentUser = req.currentUser;
    next();
  };
}

/** Pages behind sign-in send visitors to the login page, then back. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (req.currentUser) return next();
  if (req.method !== "GET") return next(new AppError("unauthorized"));
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
}
