import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pinoHttp } from "pino-http";
import type { Logger } from "../logger";

const validRequestId = /^[A-Za-z0-9._-]{1,64}$/;
/** Query values that must never reach a log: CSRF tokens (no-JS uploads) and e-mailed link tokens. */
const secretParams = /([?&](?:_csrf|token)=)[^&#]*/g;

export function withoutSecrets(url: string): string {
  return url.replace(secretParams, "$1[redacted]");
}

/** One log line per request, tagged with a request id that is also sent back as X-Request-Id. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers["x-request-id"];
      const id =
        typeof incoming === "string" && validRequestId.test(incoming) ? incoming : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // Method, path and status are what a request log is read for; headers only add noise.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: withoutSecrets(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : "info"),
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
  });
}
