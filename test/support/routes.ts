import type { Config } from "../../src/config";
import { routesOf, type EndpointRoute } from "../../src/http/mount";
import { endpoints } from "../../src/routes";

export type RouteInfo = Pick<EndpointRoute, "method" | "path" | "params" | "auth">;

/**
 * Every endpoint an app with these settings mounts, read from the endpoint tables
 * (routes/<resource>/endpoints.ts) the app is built from — so a route added later is walked too.
 */
export function listRoutes(config: Config): RouteInfo[] {
  return routesOf(endpoints).filter((route) => route.endpoint.enabledWhen?.(config) ?? true);
}
