import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import compression from "compression";
import express, { type Application } from "express";
import { projectRoot } from "./config";
import type { Deps } from "./deps";
import { csrfProtection, csrfToken } from "./middleware/csrf";
import { errorHandler, notFound } from "./middleware/errorHandler";
import { flashMessages } from "./middleware/flash";
import { notificationCount } from "./middleware/notificationCount";
import { requestLogger } from "./middleware/requestLogger";
import { requestTiming } from "./lib/requestTiming";
import { securityHeaders } from "./middleware/security";
import { sessionMiddleware, storedBeforeRedirect } from "./middleware/session";
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

function mountStatic(app: Application, isProduction: boolean): void {
  const options = { maxAge: isProduction ? "7d" : 0, index: false, fallthrough: true };
  for (const [mount, spec] of Object.entries(vendorAssets)) {
    app.use(`/vendor/${mount}`, express.static(packageDir(spec), options));
  }
  // One mount per folder of public/ (css, js, img): a page request then costs no file lookup,
  // which a catch-all static mount makes (a stat per request) before any route runs.
  const publicDir = path.join(projectRoot, "public");
  const entries = readdirSync(publicDir, { withFileTypes: true });
  for (const entry of entries.filter((e) => e.isDirectory()))
    app.use(`/${entry.name}`, express.static(path.join(publicDir, entry.name), options));
  if (entries.some((e) => !e.isDirectory())) app.use(express.static(publicDir, options));
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
  app.use(compression());
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
  app.use(storedBeforeRedirect);
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
