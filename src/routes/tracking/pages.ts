import type { Request, Response } from "express";
import { recordClick, recordOpen } from "../../commands/tracking/record";
import { verifyToken, type TrackingToken } from "../../commands/tracking/tokens";
import { businessNameOf, unsubscribeCustomer } from "../../commands/tracking/unsubscribe";
import type { Call } from "../../http/endpoint";
import type { Deps } from "../../deps";
import { isOneClickBody } from "./oneClick";

type PublicCall<P, Q = unknown> = Call<"public", unknown, P, Q, unknown, undefined>;

/** A transparent 1×1 GIF. */
const pixel = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

function hitOf(req: Request) {
  return { method: req.method, userAgent: req.get("user-agent") };
}

/** Anything unsigned, altered or of another kind: the same 404 as an unknown page. */
function notFound(res: Response) {
  res.status(404).render("tracking/invalid", { layout: false, title: "Link not valid" });
}

/** GET /t/o/<token>.gif: the open pixel. Always the image (never cached), recorded when it counts. */
export async function openPixel({ req, res, deps, params }: PublicCall<{ file: string }>) {
  const token = verifyToken(deps.config.secretsKey, params.file.slice(0, -4), "o");
  if (!token) return notFound(res);
  const outcome = await recordOpen(deps, token, hitOf(req));
  deps.logger.debug({ outcome, recipientId: token.recipientId }, "email open");
  res.setHeader("Cache-Control", "no-store, no-cache, must-revalidate, private");
  res.setHeader("Content-Type", "image/gif");
  res.send(pixel);
}

/**
 * GET /t/c/<token>?u=<url>: the signature covers the URL, so only the link the message was made
 * with redirects — never an open redirect.
 */
export async function clickRedirect({
  req,
  res,
  deps,
  params,
  query,
}: PublicCall<{ token: string }, { u?: string }>) {
  const url = query.u ?? "";
  const token = /^https?:\/\//i.test(url)
    ? verifyToken(deps.config.secretsKey, params.token, "c", url)
    : null;
  if (!token) return notFound(res);
  const outcome = await recordClick(deps, token, hitOf(req), url);
  deps.logger.debug({ outcome, recipientId: token.recipientId }, "email click");
  res.setHeader("Cache-Control", "no-store");
  res.redirect(302, url);
}

function unsubscribeToken(deps: Deps, text: string): TrackingToken | null {
  return verifyToken(deps.config.secretsKey, text, "u");
}

/** GET /u/<token>: a page with one button; nothing changes on a GET (scanners follow links). */
export async function confirmUnsubscribe({ res, deps, params }: PublicCall<{ token: string }>) {
  const token = unsubscribeToken(deps, params.token);
  if (!token) return notFound(res);
  res.setHeader("Cache-Control", "no-store");
  res.render("tracking/unsubscribe", {
    layout: false,
    title: "Unsubscribe",
    businessName: await businessNameOf(deps, token.businessId),
    action: `/u/${params.token}`,
    test: token.recipientId === 0,
  });
}

/**
 * POST /u/<token>: the button of the page above, or a mail client's RFC 8058 one-click POST
 * (body `List-Unsubscribe=One-Click`, form-encoded or multipart, no cookie, no CSRF token). Either
 * opts the customer out of e-mail; doing it twice is harmless.
 */
export async function unsubscribe({ req, res, deps, params }: PublicCall<{ token: string }>) {
  const token = unsubscribeToken(deps, params.token);
  if (!token) return notFound(res);
  const oneClick = await isOneClickBody(req);
  const result = await unsubscribeCustomer(deps, token, oneClick ? "one_click" : "page");
  res.setHeader("Cache-Control", "no-store");
  if (oneClick && !req.accepts("html")) {
    res.type("text/plain").send("Unsubscribed.\n");
    return;
  }
  res.render("tracking/unsubscribed", {
    layout: false,
    title: "Unsubscribed",
    businessName: result.businessName,
    test: result.outcome === "test",
  });
}
