import type { NextFunction, Request, Response } from "express";
import { UniqueConstraintError } from "sequelize";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../logger";

const pageTitles: Record<number, string> = {
  401: "Sign-in required",
  403: "Access denied",
  404: "Page not found",
  409: "Already exists",
  422: "Check the form",
  429: "Slow down",
  500: "Something went wrong",
  503: "Temporarily unavailable",
};

/** Anything thrown that is not an AppError becomes one, hiding internals from the client. */
function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof UniqueConstraintError) return new AppError("conflict");
  const status = (error as { status?: number; type?: string } | null)?.status;
  if (status === 413) return new AppError("payload_too_large");
  if (status === 400) return new AppError("bad_request");
  return new AppError("internal_error");
}

export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith("/api/");
}

/** Last in the chain: the JSON envelope for /api, an error page for everything else. */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const appError = toAppError(error);
    if (appError.status >= 500) logger.error({ err: error, reqId: req.id }, "request failed");
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(appError.status);
    // JSON endpoints outside /api (webhooks, health checks) mark themselves (http/chain.ts).
    if (isApiRequest(req) || res.locals.responds === "json") {
      res.json({
        statusCode: appError.status,
        error: appError.id,
        message: appError.message,
        details: appError.details ?? {},
      });
      return;
    }
    res.render("errors/error", {
      layout: req.currentUser ? "main" : "public",
      title: pageTitles[appError.status] ?? "Error",
      status: appError.status,
      errorId: appError.id,
      message: appError.message,
      requestId: String(req.id ?? ""),
    });
  };
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(AppError.notFound());
}
