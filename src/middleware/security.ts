import type { RequestHandler } from "express";
import helmet from "helmet";

/** The pages other sites may show in an iframe: public forms (/f/<slug>) and nothing else. */
export const embeddablePrefix = "/f/";

function headersWith(isProduction: boolean, frameAncestors: string[], formAction: string[]) {
  const embeddable = !frameAncestors.includes("'self'");
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction,
        frameAncestors,
        ...(isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // X-Frame-Options knows no list of sites: frame-ancestors alone decides for embeddable pages.
    xFrameOptions: embeddable ? false : { action: "sameorigin" },
    strictTransportSecurity: isProduction,
  });
}

/**
 * A strict CSP: every script, style, font and image comes from this app. No inline script, no
 * inline style attribute, no other host — which is also what keeps the app working offline.
 * Public form pages (/f/…) may be framed by the sites `formAncestors` names (FORMS_EMBED_ANCESTORS),
 * and their form may end in a redirect to the business's own thank-you page (browsers check
 * form-action on the redirect too); every other page stays same-origin only.
 */
export function securityHeaders(isProduction: boolean, formAncestors?: string): RequestHandler {
  const strict = headersWith(isProduction, ["'self'"], ["'self'"]);
  if (!formAncestors) return strict;
  const ancestors = formAncestors.split(/\s+/).filter(Boolean);
  const forms = headersWith(isProduction, ancestors, ["'self'", "https:", "http:"]);
  return (req, res, next) =>
    req.path.startsWith(embeddablePrefix) ? forms(req, res, next) : strict(req, res, next);
}
