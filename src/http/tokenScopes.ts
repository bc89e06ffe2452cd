import type { Endpoint } from "./endpoint";

/**
 * Scopes of personal API tokens, read off the endpoint tables so a new API resource gets its
 * scopes without a list to keep in step: `<resource>:read` for GET, `<resource>:write` for any
 * other method, the resource being the first path segment after /api/v1 (/api/v1/tickets/7 →
 * tickets). Endpoints open to anyone or to any signed-in person (sign-in, /auth/me) need none.
 */
export type ScopeAccess = "read" | "write";
export interface NeededScope {
  resource: string;
  access: ScopeAccess;
}

const unscoped = new Set(["anyone", "signed-in"]);
// mount.ts's apiBase; not imported, as mount.ts reaches this file through the chain.
const apiBase = "/api/v1";

/** The scope an API endpoint needs from a personal token, or null when it needs none. */
export function scopeNeeded(
  endpoint: Pick<Endpoint, "method" | "path" | "permission" | "auth">,
): NeededScope | null {
  if (endpoint.auth !== "api" || unscoped.has(endpoint.permission)) return null;
  const resource = endpoint.path.slice(apiBase.length).split("/")[1];
  if (!resource || resource.startsWith(":")) return null;
  return { resource, access: endpoint.method === "get" ? "read" : "write" };
}

/** The resources of the API a token can be scoped to, in the order of the tables. */
export function scopeResources(endpoints: readonly Endpoint[]): string[] {
  const resources: string[] = [];
  for (const endpoint of endpoints) {
    const needed = scopeNeeded(endpoint);
    if (needed && !resources.includes(needed.resource)) resources.push(needed.resource);
  }
  return resources;
}

/** Every scope a token may carry: read and write of each resource. */
export function allScopes(endpoints: readonly Endpoint[]): string[] {
  return scopeResources(endpoints).flatMap((r) => [`${r}:read`, `${r}:write`]);
}

/** Whether granted scopes cover the need; write implies read (a writer reads what it writes). */
export function scopeCovers(granted: readonly string[], needed: NeededScope): boolean {
  if (granted.includes(`${needed.resource}:write`)) return true;
  return needed.access === "read" && granted.includes(`${needed.resource}:read`);
}
