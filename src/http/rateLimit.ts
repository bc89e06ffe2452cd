import type { RequestHandler } from "express";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { RateRule } from "../lib/rateLimits";
import type { AuthMode, Endpoint } from "./endpoint";

/**
 * Per-IP limits of the endpoints anyone can reach. A public form is filled by people, a few times
 * a minute at most; a provider's webhooks come in bursts from a few addresses.
 */
export const defaultRateRules: Partial<Record<AuthMode, RateRule>> = {
  public: { points: 30, durationSeconds: 60 },
  webhook: { points: 600, durationSeconds: 60 },
};

/** The rule an endpoint runs under, or null when it has none. */
export function rateRuleOf(endpoint: Endpoint): RateRule | null {
  if (endpoint.rateLimit === false) return null;
  return endpoint.rateLimit ?? defaultRateRules[endpoint.auth] ?? null;
}

/**
 * Counts the request against the caller's IP before anything else runs; over the limit it is a
 * 429 (Retry-After set) in the endpoint's error format. If the store cannot be reached the
 * request is refused with 503 rather than let through unlimited.
 */
export function rateLimitStep(
  endpoint: Endpoint,
  deps: Pick<Deps, "rateLimits" | "logger">,
): RequestHandler[] {
  const rule = rateRuleOf(endpoint);
  if (!rule) return [];
  const name = `${endpoint.auth}:${endpoint.method}:${endpoint.path}`;
  return [
    async (req, res, next) => {
      let check;
      try {
        check = await deps.rateLimits.consume(name, rule, req.ip ?? "unknown");
      } catch (error) {
        deps.logger.error({ err: error, reqId: req.id }, "rate limit store unavailable");
        return next(new AppError("service_unavailable"));
      }
      if (check.allowed) return next();
      res.setHeader("Retry-After", String(check.retryAfterSeconds));
      next(new AppError("rate_limited", undefined, { retryAfterSeconds: check.retryAfterSeconds }));
    },
  ];
}
