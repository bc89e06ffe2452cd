import type { NextFunction, Request, Response } from "express";
import { UniqueConstraintError } from "sequelize";
import { AppError, isAppError } from "../errors";
import type { Logger } from "../logger";

const pageTitles: Record<number, string> = {
  400: "Bad request",
  401: "Sign-in required",
  402: "Upgrade needed",
  403: "Access denied",
  404: "Page not found",
  409: "Already exists",
  413: "Too large",
  415: "Unsupported format",
  422: "Check the form",
  429: "Slow down",
  500: "Something went wrong",
  503: "Temporarily unavailable",
};

/** What body parsers (body-parser, raw-body) throw: an http-errors error with a status. */
interface HttpError {
  status: number;
  expose?: boolean;
  type?: string;
  charset?: string;
  encoding?: string;
}

function isHttpError(error: unknown): error is HttpError {
  if (typeof error !== "object" || error === null) return false;
  const status: unknown = (error as { status?: unknown }).status;
  return typeof status === "number" && Number.isInteger(status);
}

/** The client's own words for a body it sent that could not be read (never parser internals). */
const bodyMessages: Record<string, string> = {
  "charset.unsupported": "The body's character set is not supported: send UTF-8.",
  "encoding.unsupported":
    "The body's Content-Encoding is not supported: send it uncompressed, or as gzip, deflate or br.",
  "entity.parse.failed": "The body could not be read: it is not valid for its Content-Type.",
  "request.aborted": "The request ended before its body was complete.",
  "request.size.invalid": "The body is shorter or longer than its Content-Length says.",
};

/**
 * A client error raised outside the app's own code (a body parser): its 4xx, in our words. The
 * status decides: an error a library marks with a 4xx is the client's, whatever its type.
 */
function clientErrorOf(error: HttpError): AppError | null {
  if (error.status < 400 || error.status >= 500) return null;
  const message = error.type ? bodyMessages[error.type] : undefined;
  if (error.status === 413) return new AppError("payload_too_large", message);
  if (error.status === 415) return new AppError("unsupported_media_type", message);
  if (error.status === 401) return new AppError("unauthorized");
  if (error.status === 403) return AppError.forbidden();
  if (error.status === 404) return AppError.notFound();
  return new AppError("bad_request", message);
}

/** Anything thrown that is not an AppError becomes one, hiding internals from the client. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof UniqueConstraintError) return new AppError("conflict");
  if (isHttpError(error)) return clientErrorOf(error) ?? new AppError("internal_error");
  return new AppError("internal_error");
}

/**
 * What a plan error's page adds to its message (which names a missing feature's plan already): for
 * a limit, the plan that allows more; and the link to the plans page.
 */
function planDetails(error: AppError) {
  const to = error.details?.upgradeTo as { name?: unknown } | null | undefined;
  const href = error.details?.plansUrl;
  const roomier = error.details?.limit && typeof to?.name === "string" ? to.name : null;
  return {
    note: roomier ? `The ${roomier} plan allows more.` : null,
    href: typeof href === "string" ? href : "/plans",
  };
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
      upgrade: appError.id === "plan_limit" ? planDetails(appError) : null,
    });
  };
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(AppError.notFound());
}
