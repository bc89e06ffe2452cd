import type { Application, Router } from "express";
import type { AppDeps } from "../app";
import { authPages } from "./auth/pages";
import { homePages } from "./home/pages";

/**
 * The page route table, in one place. Each feature exports a router factory from
 * routes/<feature>/pages.ts and is listed here once.
 */
const pageRouters: Array<(deps: AppDeps) => Router> = [
  () => homePages(),
  (deps) => authPages(deps.models),
];

export function mountPages(app: Application, deps: AppDeps): void {
  for (const build of pageRouters) app.use(build(deps));
}

/** JSON API routers under /api/v1, listed the same way (routes/<feature>/api.ts). */
export const apiRouters: Array<(deps: AppDeps) => Router> = [];
