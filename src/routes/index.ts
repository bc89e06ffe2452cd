import type { Application, Router } from "express";
import type { Deps } from "../deps";
import { authApi } from "./auth/api";
import { googleAuthPages } from "./auth/google";
import { adminPages } from "./admin/pages";
import { authPages } from "./auth/pages";
import { passwordPages } from "./auth/passwordPages";
import { registrationPages } from "./auth/registration";
import { businessPages } from "./businesses/pages";
import { customersApi } from "./customers/api";
import { customerExportPages } from "./customers/exportPages";
import { importsApi } from "./imports/api";
import { importPages } from "./imports/pages";
import { invitationPages } from "./invitations/pages";
import { teamPages } from "./team/pages";
import { notificationPages } from "./notifications/pages";
import { taskApi } from "./tasks/api";
import { taskPages } from "./tasks/pages";
import { customerBulkPages } from "./customers/bulkPages";
import { customerMergePages } from "./customers/mergePages";
import { customerNotePages } from "./customers/notesPages";
import { customerPages } from "./customers/pages";
import { segmentPages } from "./segments/pages";
import { tagPages } from "./tags/pages";
import { devPages } from "./dev/pages";
import { homePages } from "./home/pages";
import { profilePages } from "./profile/pages";
import { segmentsApi } from "./segments/api";

/**
 * The page route table, in one place. Each feature exports a router factory from
 * routes/<feature>/pages.ts and is listed here once.
 */
const pageRouters: Array<(deps: Deps) => Router> = [
  () => homePages(),
  authPages,
  googleAuthPages,
  devPages,
  profilePages,
  registrationPages,
  passwordPages,
  businessPages,
  teamPages,
  taskPages,
  notificationPages,
  invitationPages,
  adminPages,
  customerExportPages,
  customerBulkPages,
  customerPages,
  customerNotePages,
  customerMergePages,
  tagPages,
  segmentPages,
  importPages,
];

export function mountPages(app: Application, deps: Deps): void {
  for (const build of pageRouters) app.use(build(deps));
}

/** JSON API routers under /api/v1, listed the same way (routes/<feature>/api.ts). */
export const apiRouters: Array<(deps: Deps) => Router> = [
  authApi,
  taskApi,
  customersApi,
  segmentsApi,
  importsApi,
];
