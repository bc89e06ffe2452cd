import type { Application, Router } from "express";
import type { AppDeps } from "../app";
import { authApi } from "./auth/api";
import { googleAuthPages } from "./auth/google";
import { adminPages } from "./admin/pages";
import { authPages } from "./auth/pages";
import { passwordPages } from "./auth/passwordPages";
import { registrationPages } from "./auth/registration";
import { businessPages } from "./businesses/pages";
import { invitationPages } from "./invitations/pages";
import { teamPages } from "./team/pages";
import { devPages } from "./dev/pages";
import { homePages } from "./home/pages";
import { profilePages } from "./profile/pages";

/**
 * The page route table, in one place. Each feature exports a router factory from
 * routes/<feature>/pages.ts and is listed here once.
 */
const pageRouters: Array<(deps: AppDeps) => Router> = [
  () => homePages(),
  authPages,
  googleAuthPages,
  devPages,
  profilePages,
  registrationPages,
  passwordPages,
  businessPages,
  teamPages,
  invitationPages,
  adminPages,
];

export function mountPages(app: Application, deps: AppDeps): void {
  for (const build of pageRouters) app.use(build(deps));
}

/** JSON API routers under /api/v1, listed the same way (routes/<feature>/api.ts). */
export const apiRouters: Array<(deps: AppDeps) => Router> = [authApi];
