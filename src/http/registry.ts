import type { Endpoint } from "./endpoint";

/**
 * The app's endpoint tables, for the parts that describe them (the OpenAPI document, the API
 * token scopes). routes/index.ts registers them; those parts cannot import routes/index.ts, whose
 * tables include their own endpoints (an import cycle).
 */
let registered: () => readonly Endpoint[] = () => [];

export function registerEndpoints(tables: () => readonly Endpoint[]): void {
  registered = tables;
}

export function registeredEndpoints(): readonly Endpoint[] {
  return registered();
}
