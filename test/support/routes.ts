import type { Application } from "express";

export interface RouteInfo {
  method: string;
  path: string;
  /** Names of the :params in the path. */
  params: string[];
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

function join(prefix: string, path: string): string {
  const base = prefix.replace(/\/$/, "");
  return `${base}${path === "/" ? "" : path}` || "/";
}

/** Every route registered on the app, mounted routers included, as a test can request it. */
export function listRoutes(app: Application): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          const full = join(prefix, path);
          for (const method of Object.keys(layer.route.methods)) {
            routes.push({
              method: method.toUpperCase(),
              path: full,
              params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1] as string),
            });
          }
        }
      } else if (layer.handle.stack) {
        const mount = typeof layer.rawPath === "string" ? layer.rawPath : "";
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  return routes;
}
