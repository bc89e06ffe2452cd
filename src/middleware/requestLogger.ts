import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { performance } from "node:perf_hooks";
import type { Logger } from "../logger";

const validRequestId = /^[A-Za-z0-9._-]{1,64}$/;
/** Query values that must never reach a log: CSRF tokens (no-JS uploads) and e-mailed link tokens. */
const secretParams = /([?&](?:_csrf|token)=)[^&#]*/g;
/** Probes of load balancers and orchestrators: not worth a line each. */
const unlogged = new Set(["/healthz", "/readyz"]);

declare module "express-serve-static-core" {
  interface Request {
    /** This request's id: the caller's X-Request-Id when it is a sane one, else a new UUID. */
    id?: string;
  }
}

export function withoutSecrets(url: string): string {
  return url.replace(secretParams, "$1[redacted]");
}

/**
 * One log line per request ("request completed": method, path, status, response time in ms),
 * tagged with a request id that is also sent back as X-Request-Id. Written once, when the response
 * is done — no per-request child logger (what pino-http builds, serialising the request up front,
 * cost more than a bare page's own work).
 */
export function requestLogger(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers["x-request-id"];
    const id =
      typeof incoming === "string" && validRequestId.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader("X-Request-Id", id);
    const url = req.url;
    if (unlogged.has(url)) return next();
    const started = performance.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const line = {
        req: { id, method: req.method, url: withoutSecrets(url) },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
      };
      if (!res.writableFinished) logger.warn(line, "request aborted");
      else if (res.statusCode >= 500) logger.error(line, "request completed");
      else logger.info(line, "request completed");
    };
    res.once("finish", done);
    res.once("close", done);
    next();
  };
}
