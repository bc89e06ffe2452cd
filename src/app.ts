import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import compression from "compression";
import express, { Router, type Application, type RequestHandler } from "express";
import { projectRoot } from "./config";
import type { Deps } from "./deps";
import { csrfProtection, csrfToken } from "./middleware/csrf";
import { errorHandler, notFound } from "./middleware/errorHandler";
import { flashMessages } from "./middleware/flash";
import { notificationCount } from "./middleware/notificationCount";
import { requestLogger } from "./middleware/requestLogger";
import { requestTiming } from "./lib/requestTiming";
import { securityHeaders } from "./middleware/security";
import { sessionMiddleware } from "./middleware/session";
import { navigationFor } from "./navigation";
import type { Endpoint } from "./http/endpoint";
import { apiBase } from "./http/mount";
import { apiRouter } from "./routes/api";
import { endpoints as allEndpoints, mountBeforeSession, mountPages } from "./routes";
import { sessionContext } from "./tenancy/context";
import { configureViews } from "./views";
import { etagUnlessHtml } from "./http/etag";

/** Browser libraries, served from node_modules so no page ever needs another host. */
const vendorAssets: Record<string, string> = {
  bootstrap: "bootstrap/dist",
  fontawesome: "@fortawesome/fontawesome-free",
  htmx: "htmx.org/dist",
  cropper: "cropperjs/dist",
  chartjs: "chart.js/dist",
  sortable: "sortablejs",
};

function packageDir(spec: string): string {
  const [scopeOrName, maybeName, ...rest] = spec.split("/");
  const name = scopeOrName?.startsWith("@")
    ? `${scopeOrName}/${maybeName}`
    : (scopeOrName as string);
  const sub = scopeOrName?.startsWith("@") ? rest : [maybeName ?? "", ...rest];
  return path.join(packageRoot(name), ...sub);
}

/**
 * A package's folder. Packages whose `exports` hide package.json (chart.js) are found from their
 * entry point, walking up to the folder that holds their package.json.
 */
function packageRoot(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [projectRoot] }));
  } catch {
    let dir = path.dirname(require.resolve(name, { paths: [projectRoot] }));
    while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir)
      dir = path.dirname(dir);
    return dir;
  }
}

/**
 * gzip/brotli for clients that ask for it (every browser does). One that does not (an API client,
 * a probe) skips the middleware, which would otherwise wrap the response's writes only to find out
 * at its head that there is nothing to do.
 */
function compressedWhenAccepted(): RequestHandler {
  const compress = compression();
  return (req, res, next) => (req.headers["accept-encoding"] ? compress(req, res, next) : next());
}

function mountStatic(app: Application, isProduction: boolean): void {
  const options = { maxAge: isProduction ? "7d" : 0, index: false, fallthrough: true };
  const assets = Router();
  const segments = new Set<string>(["vendor"]);
  const add = (name: string) => segments.add(name.toLowerCase());
  for (const [mount, spec] of Object.entries(vendorAssets)) {
    assets.use(`/vendor/${mount}`, express.static(packageDir(spec), options));
  }
  // One mount per folder of public/ (css, js, img): a page request then costs no file lookup,
  // which a catch-all static mount makes (a stat per request) before any route runs.
  const publicDir = path.join(projectRoot, "public");
  const entries = readdirSync(publicDir, { withFileTypes: true });
  for (const entry of entries.filter((e) => e.isDirectory())) {
    add(entry.name);
    assets.use(`/${entry.name}`, express.static(path.join(publicDir, entry.name), options));
  }
  const files = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  for (const file of files) add(file);
  if (files.length > 0) assets.use(express.static(publicDir, options));
  // Pages pass by on their first segment, without trying each asset mount in turn.
  app.use((req, res, next) => {
    const end = req.path.indexOf("/", 1);
    const first = end < 0 ? req.path.slice(1) : req.path.slice(1, end);
    // Express matches mount paths case-insensitively; so does this.
    if (!segments.has(first.toLowerCase())) return next();
    assets(req, res, next);
  });
}

/**
 * Builds the Express app; listening is the caller's business (server.ts, tests). `endpoints` is
 * the route table (routes/index.ts); tests may mount one of their own.
 */
export function createApp(deps: Deps, endpoints: readonly Endpoint[] = allEndpoints): Application {
  const { config, logger, models } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  app.set("etag", etagUnlessHtml);
  configureViews(app, config.isProduction, deps.clock);

  app.use(requestTiming);
  app.use(requestLogger(logger));
  app.use(securityHeaders(config.isProduction, config.FORMS_EMBED_ANCESTORS));
  app.use(compressedWhenAccepted());
  mountStatic(app, config.isProduction);
  // Health checks, public forms and webhooks, then the API: none of them sees a session.
  mountBeforeSession(app, deps, endpoints);
  app.use(apiBase, apiRouter(deps, endpoints));

  const forms = express.urlencoded({ extended: false, limit: "1mb" });
  // Express 5 leaves req.body undefined when nothing was parsed; forms always read an object.
  // Page loads (GET, HEAD) carry no form: they skip the parser.
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") {
      req.body ??= {};
      return next();
    }
    forms(req, res, (error?: unknown) => {
      if (error) return next(error);
      req.body ??= {};
      next();
    });
  });
  app.use(sessionMiddleware(deps));
  app.use(csrfProtection);
  app.use(sessionContext(deps));
  app.use(notificationCount(models));
  app.use(flashMessages);
  app.use((req, res, next) => {
    res.locals.navigation = navigationFor(req.path, req.ctx);
    // Signed-in pages all carry the sign-out form, so they all need the token.
    if (req.currentUser) res.locals.csrfToken = csrfToken(req);
    next();
  });

  mountPages(app, deps, endpoints);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
