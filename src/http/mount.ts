import { Router, type RequestHandler, type ErrorRequestHandler } from "express";
import type { Deps } from "../deps";
import { isFeatureName } from "../plans/features";
import {
  accessStep,
  discardUploadStep,
  formStep,
  gateSteps,
  isAction,
  loadStep,
  paramsStep,
  publicBodyStep,
  rateLimitStep,
  rawBodyStep,
  respondsAs,
  runStep,
  inputStep,
  tokenScopeStep,
  validateStep,
  verifyStep,
} from "./chain";
import { accessMarkers, authModes, httpMethods, type AuthMode, type Endpoint } from "./endpoint";
import { idParamProblems } from "./params";

/** Where the JSON API lives; only `api` endpoints may be under it. */
export const apiBase = "/api/v1";

/** Why an endpoint may not be mounted; empty when it may. */
function problemsOf(endpoint: Endpoint): string[] {
  const problems: string[] = [];
  const { auth, permission, path, method } = endpoint;
  if (!(authModes as readonly unknown[]).includes(auth))
    problems.push(`auth must be one of ${authModes.join(", ")}`);
  if (!(httpMethods as readonly unknown[]).includes(method)) problems.push("unknown method");
  if (permission === undefined || permission === null)
    problems.push('no permission: name an Action or an explicit marker (e.g. "anyone")');
  else if (!isAction(permission) && !(accessMarkers as readonly unknown[]).includes(permission))
    problems.push(`unknown permission "${String(permission)}"`);
  if (typeof path !== "string" || !path.startsWith("/"))
    problems.push("the path must start with /");
  else if ((auth === "api") !== (path === apiBase || path.startsWith(`${apiBase}/`)))
    problems.push(`api endpoints, and only they, live under ${apiBase}`);
  if (endpoint.feature !== undefined && !isFeatureName(endpoint.feature))
    problems.push(`unknown plan feature "${String(endpoint.feature)}"`);
  if ((auth === "public" || auth === "webhook") && permission !== "anyone")
    problems.push(`${auth} endpoints have no signed-in caller: their permission is "anyone"`);
  if ((auth === "public" || auth === "webhook") && endpoint.feature)
    problems.push(`${auth} endpoints have no business, so no plan feature`);
  if (auth === "webhook" && method !== "get" && !endpoint.verify)
    problems.push("a webhook that takes a body needs a signature check (verify)");
  if (endpoint.verify && auth !== "webhook") problems.push("only webhooks verify signatures");
  if (endpoint.form && auth !== "page" && auth !== "public")
    problems.push("only pages and public forms re-render forms");
  if (endpoint.form && auth === "public" && "back" in endpoint.form)
    problems.push("a public form has no session to flash in: render the form again instead");
  if (typeof endpoint.handler !== "function") problems.push("no handler");
  if (typeof path === "string") problems.push(...idParamProblems(path, endpoint.params));
  return problems;
}

/**
 * Checks a whole table before anything mounts: an endpoint without a permission, or one whose
 * declaration contradicts its mode, stops the app from building, naming every problem.
 */
export function checkEndpoints(endpoints: readonly Endpoint[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const endpoint of endpoints) {
    const name = `${String(endpoint.method).toUpperCase()} ${endpoint.path}`;
    for (const problem of problemsOf(endpoint)) problems.push(`${name}: ${problem}`);
    if (seen.has(name)) problems.push(`${name}: declared twice`);
    seen.add(name);
  }
  if (problems.length > 0)
    throw new Error(`Endpoints refuse to mount:\n  ${problems.join("\n  ")}`);
}

/** The whole chain of one endpoint, in the order its types assume. */
function chainOf(endpoint: Endpoint, deps: Deps): Array<RequestHandler | ErrorRequestHandler> {
  const mode = endpoint.auth;
  const json =
    (endpoint.responds ?? (mode === "api" || mode === "webhook" ? "json" : "html")) === "json";
  return [
    respondsAs(json ? "json" : "html"),
    // A path whose parameters do not fit is another endpoint's: before anything counts or reads.
    paramsStep(endpoint),
    ...rateLimitStep(endpoint, deps),
    ...(mode === "public" ? publicBodyStep() : []),
    ...(mode === "webhook" ? [...rawBodyStep(), verifyStep(endpoint, deps)] : []),
    ...accessStep(mode, endpoint.permission),
    ...(mode === "api" ? [tokenScopeStep(endpoint)] : []),
    loadStep(endpoint, deps),
    ...gateSteps(endpoint, deps),
    inputStep(endpoint, deps),
    validateStep(endpoint, mode),
    runStep(endpoint, deps),
    ...(endpoint.upload ? [discardUploadStep()] : []),
    ...(endpoint.form ? [formStep(endpoint, deps)] : []),
  ];
}

/** The path an endpoint is routed at on its mode's router (API paths lose their base). */
function routedPath(endpoint: Endpoint): string {
  if (endpoint.auth !== "api") return endpoint.path;
  return endpoint.path.slice(apiBase.length) || "/";
}

/** The first segment of a path, as a dispatch key ("/customers/:customerId" → "customers"). */
function firstSegment(path: string): string {
  const end = path.indexOf("/", 1);
  return (end < 0 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/** A segment that is a parameter or a pattern matches any request segment. */
const isPattern = (segment: string) => /[:*({]/.test(segment);

/**
 * A router with the endpoints of one mode that this process enables. Pages, public and webhook
 * routers mount at the root; the API router under `apiBase`. Requests are dispatched by their
 * path's first segment to a router holding only the endpoints that can match it, in table order
 * (Express otherwise tries every endpoint of the mode in turn: ~5% of a page's CPU); an endpoint
 * whose first segment is a parameter is in every one of them. Returns the dispatching middleware.
 */
export function endpointRouter(
  deps: Deps,
  endpoints: readonly Endpoint[],
  mode: AuthMode,
): RequestHandler {
  checkEndpoints(endpoints);
  const enabled = endpoints.filter(
    (e) => e.auth === mode && (!e.enabledWhen || e.enabledWhen(deps.config)),
  );
  const segmentOf = (e: Endpoint) => firstSegment(routedPath(e));
  const routerOf = (list: Endpoint[]) => {
    const router = Router();
    for (const endpoint of list)
      router[endpoint.method](routedPath(endpoint), ...chainOf(endpoint, deps));
    return router;
  };
  const anySegment = enabled.filter((e) => isPattern(segmentOf(e)));
  const bySegment = new Map<string, Router>();
  for (const segment of new Set(enabled.map(segmentOf).filter((s) => !isPattern(s)))) {
    const list = enabled.filter((e) => segmentOf(e) === segment || isPattern(segmentOf(e)));
    bySegment.set(segment, routerOf(list));
  }
  const others = anySegment.length > 0 ? routerOf(anySegment) : null;
  // A plain function, not a Router: a request for another mode's paths passes by without
  // entering a router (each entry costs a URL parse and a frame of its own).
  return (req, res, next) => {
    const router = bySegment.get(firstSegment(req.path)) ?? others;
    if (!router) return next();
    router(req, res, next);
  };
}

export interface EndpointRoute {
  method: string;
  /** The full path, as a client requests it. */
  path: string;
  auth: AuthMode;
  /** Names of the :params in the path. */
  params: string[];
  endpoint: Endpoint;
}

/** Every endpoint with its full path and :params, for tests that walk them (tenant isolation). */
export function routesOf(endpoints: readonly Endpoint[]): EndpointRoute[] {
  return endpoints.map((endpoint) => ({
    method: endpoint.method.toUpperCase(),
    path: endpoint.path,
    auth: endpoint.auth,
    params: [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string),
    endpoint,
  }));
}
