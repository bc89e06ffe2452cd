import { responds, respondsFile } from "../../http/apiResponse";
import { importExample, importSchema } from "./apiResponses";
import { routes, type Endpoint } from "../../http/endpoint";
import { errorsCsvApi, loadImportApi, showApi, uploadApi } from "./api";
import * as one from "./importPages";
import { renderUploadFailure, showHistory, showNew, upload } from "./pages";
import {
  apiSchema,
  apiUploadSchema,
  historyQuery,
  importParams,
  sheetSchema,
  startOptionsSchema,
} from "./schema";
import { receiveImportFile } from "./upload";
import * as undo from "./revertPages";

const params = importParams;
const load = one.loadImport;

const page = routes({ auth: "page" });
const api = routes({ auth: "api" });

/**
 * Customer imports: the history (also on plans without imports, which it then offers), upload,
 * mapping with preview, start, live progress, error report, undo (confirmed first); and
 * /api/v1/imports.
 */
export const importEndpoints: Endpoint[] = [
  page.get("/imports", "customers.manage", { query: historyQuery, handler: showHistory }),
  page.get("/imports/new", "customers.manage", { feature: "imports", handler: showNew }),
  page.post("/imports", "customers.manage", {
    feature: "imports",
    upload: receiveImportFile,
    form: { render: renderUploadFailure, shows: ["validation_failed", "payload_too_large"] },
    handler: upload,
  }),
  page.get("/imports/:importId", "customers.manage", { params, load, handler: one.showImport }),
  page.get("/imports/:importId/progress", "customers.manage", {
    params,
    load,
    handler: one.progress,
  }),
  page.post("/imports/:importId/preview", "customers.manage", {
    params,
    load,
    body: startOptionsSchema,
    handler: one.preview,
  }),
  page.post("/imports/:importId/start", "customers.manage", {
    feature: "imports",
    params,
    load,
    body: startOptionsSchema,
    form: { render: one.renderStartFailure, shows: ["validation_failed", "plan_limit"] },
    handler: one.start,
  }),
  page.get("/imports/:importId/revert", "customers.manage", {
    params,
    load,
    handler: undo.confirmRevert,
  }),
  page.post("/imports/:importId/revert", "customers.manage", {
    params,
    load,
    handler: undo.revert,
  }),
  page.post("/imports/:importId/discard", "customers.manage", {
    params,
    load,
    handler: one.discard,
  }),
  page.get("/imports/:importId/errors.csv", "customers.manage", {
    params,
    load,
    handler: one.errorsCsv,
  }),
  page.post("/imports/:importId/sheet", "customers.manage", {
    params,
    load,
    body: sheetSchema,
    handler: one.chooseOtherSheet,
  }),
  api.post("/api/v1/imports", "customers.manage", {
    summary: "Upload a CSV or XLSX file of customers; the import starts once it is read",
    documents: { body: apiSchema },
    response: responds(importSchema, importExample, { status: 202 }),
    feature: "imports",
    upload: receiveImportFile,
    body: apiUploadSchema,
    handler: uploadApi,
  }),
  api.get("/api/v1/imports/:importId", "customers.manage", {
    summary: "An import's status, progress and counts (poll it)",
    response: responds(importSchema, importExample),
    params,
    load: loadImportApi,
    handler: showApi,
  }),
  api.get("/api/v1/imports/:importId/errors.csv", "customers.manage", {
    summary: "The rows that were skipped or failed, as CSV",
    response: respondsFile(
      "text/csv",
      "row,name,phone,problem\n4,Asha,12,Enter a valid phone number.\n",
    ),
    params,
    load: loadImportApi,
    handler: errorsCsvApi,
  }),
];
