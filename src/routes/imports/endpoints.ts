import { endpoint, type Endpoint } from "../../http/endpoint";
import { errorsCsvApi, loadImportApi, showApi, uploadApi } from "./api";
import * as one from "./importPages";
import { renderUploadFailure, showHistory, showNew, upload } from "./pages";
import {
  apiUploadSchema,
  historyQuery,
  importParams,
  sheetSchema,
  startOptionsSchema,
} from "./schema";
import { receiveImportFile } from "./upload";

const params = importParams;
const load = one.loadImport;

/**
 * Customer imports: the history (also on plans without imports, which it then offers), upload,
 * mapping with preview, start, live progress, error report, undo; and /api/v1/imports.
 */
export const importEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/imports",
    auth: "page",
    permission: "customers.manage",
    query: historyQuery,
    handler: showHistory,
  }),
  endpoint({
    method: "get",
    path: "/imports/new",
    auth: "page",
    feature: "imports",
    permission: "customers.manage",
    handler: showNew,
  }),
  endpoint({
    method: "post",
    path: "/imports",
    auth: "page",
    feature: "imports",
    permission: "customers.manage",
    upload: receiveImportFile,
    form: { render: renderUploadFailure, shows: ["validation_failed", "payload_too_large"] },
    handler: upload,
  }),
  endpoint({
    method: "get",
    path: "/imports/:importId",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    handler: one.showImport,
  }),
  endpoint({
    method: "get",
    path: "/imports/:importId/progress",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    handler: one.progress,
  }),
  endpoint({
    method: "post",
    path: "/imports/:importId/preview",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    body: startOptionsSchema,
    handler: one.preview,
  }),
  endpoint({
    method: "post",
    path: "/imports/:importId/start",
    auth: "page",
    feature: "imports",
    permission: "customers.manage",
    params,
    load,
    body: startOptionsSchema,
    form: { render: one.renderStartFailure, shows: ["validation_failed", "plan_limit"] },
    handler: one.start,
  }),
  endpoint({
    method: "post",
    path: "/imports/:importId/revert",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    handler: one.revert,
  }),
  endpoint({
    method: "post",
    path: "/imports/:importId/discard",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    handler: one.discard,
  }),
  endpoint({
    method: "get",
    path: "/imports/:importId/errors.csv",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    handler: one.errorsCsv,
  }),
  endpoint({
    method: "post",
    path: "/imports/:importId/sheet",
    auth: "page",
    permission: "customers.manage",
    params,
    load,
    body: sheetSchema,
    handler: one.chooseOtherSheet,
  }),
  endpoint({
    method: "post",
    path: "/api/v1/imports",
    auth: "api",
    feature: "imports",
    permission: "customers.manage",
    upload: receiveImportFile,
    body: apiUploadSchema,
    handler: uploadApi,
  }),
  endpoint({
    method: "get",
    path: "/api/v1/imports/:importId",
    auth: "api",
    permission: "customers.manage",
    params,
    load: loadImportApi,
    handler: showApi,
  }),
  endpoint({
    method: "get",
    path: "/api/v1/imports/:importId/errors.csv",
    auth: "api",
    permission: "customers.manage",
    params,
    load: loadImportApi,
    handler: errorsCsvApi,
  }),
];
