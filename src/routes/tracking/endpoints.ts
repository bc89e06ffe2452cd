import { z } from "zod";
import { routes, type Endpoint } from "../../http/endpoint";
import { receiveBounce, verifyBounceSecret } from "./bounces";
import { clickRedirect, confirmUnsubscribe, openPixel, unsubscribe } from "./pages";

const visitor = routes({ auth: "public" });
const webhook = routes({ auth: "webhook" });

/** Shapes only; the signature is checked in the handler (a bad one answers 404, records nothing). */
const pixelParams = z.object({
  file: z.string().regex(/^o-[0-9a-z-]{5,40}\.[A-Za-z0-9_-]{22}\.gif$/),
});
const clickParams = z.object({ token: z.string().regex(/^c-[0-9a-z-]{5,40}\.[A-Za-z0-9_-]{22}$/) });
const clickQuery = z.object({ u: z.string().max(4000).optional() });
const unsubscribeParams = z.object({
  token: z.string().regex(/^u-[0-9a-z-]{5,40}\.[A-Za-z0-9_-]{22}$/),
});

/**
 * Campaign e-mail tracking and unsubscribe (issue 11): no session, no CSRF token (mail clients'
 * one-click POST carries none, RFC 8058), signed tokens instead. Limits per IP are generous: a
 * company's whole office may sit behind one address.
 */
export const trackingEndpoints: Endpoint[] = [
  visitor.get("/t/o/:file", "anyone", {
    params: pixelParams,
    rateLimit: { points: 1200, durationSeconds: 60 },
    handler: openPixel,
  }),
  visitor.get("/t/c/:token", "anyone", {
    params: clickParams,
    query: clickQuery,
    rateLimit: { points: 1200, durationSeconds: 60 },
    handler: clickRedirect,
  }),
  visitor.get("/u/:token", "anyone", {
    params: unsubscribeParams,
    rateLimit: { points: 120, durationSeconds: 60 },
    handler: confirmUnsubscribe,
  }),
  visitor.post("/u/:token", "anyone", {
    params: unsubscribeParams,
    rateLimit: { points: 120, durationSeconds: 60 },
    handler: unsubscribe,
  }),
  // Bounces (DSNs) forwarded by the mail provider, signed like inbound mail.
  webhook.post("/webhooks/mail/bounces", "anyone", {
    verify: verifyBounceSecret,
    enabledWhen: (config) => Boolean(config.INBOUND_MAIL_SECRET),
    handler: receiveBounce,
  }),
];
