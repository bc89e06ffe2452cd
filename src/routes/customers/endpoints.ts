import { customerInputSchema } from "../../commands/customers/input";
import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import {
  customerExample,
  customerListQueryDoc,
  customerSchema,
  noteExample,
  noteSchema as noteResponseSchema,
} from "./apiResponses";
import { customerFilterSchema } from "../../commands/customers/filter";
import { pageQuerySchema } from "../../http/pagination";
import { routes, type Endpoint } from "../../http/endpoint";
import type { TenantContext } from "../../tenancy/context";
import {
  addNoteApi,
  createApi,
  customerBody,
  deleteApi,
  deleteNoteApi,
  editNoteApi,
  listApi,
  listNotesApi,
  loadForPatch,
  showApi,
  updateApi,
} from "./api";
import { apiListQuerySchema, customerPatchSchema, noteBodySchema } from "./apiSchema";
import { backToList, runBulk } from "./bulkPages";
import { download } from "./exportPages";
import { filterOptionsQuery, showFilterOptions } from "./filterOptions";
import { renderListFailure, showList } from "./listPage";
import { loadCustomer, loadNote } from "./loaders";
import { backToPick, merge, showMerge } from "./mergePages";
import * as notes from "./notesPages";
import * as pages from "./pages";
import {
  bulkFormSchema,
  customerParams,
  listQuerySchema,
  mergeQuerySchema,
  mergeSchema,
  noteParams,
  noteSchema,
} from "./schema";

const customerForm = { render: pages.renderCustomerFailure };
const noteForm = { back: notes.backToCustomer, message: notes.noteMessage };
const patchBody = (ctx: TenantContext, record: { current: Record<string, unknown> }) =>
  customerPatchSchema(ctx.business.country, record.current);

const page = routes({ auth: "page", feature: "customers" });
const api = routes({ auth: "api", feature: "customers" });

/** Customer pages: list, export, create/edit, the customer's page, bulk actions, merge, notes. */
export const customerEndpoints: Endpoint[] = [
  page.get("/customers", "customers.view", {
    query: listQuerySchema,
    form: { render: renderListFailure },
    handler: showList,
  }),
  page.get("/customers/filter-options", "customers.view", {
    query: filterOptionsQuery,
    handler: showFilterOptions,
  }),
  page.get("/customers/export.csv", "customers.export", {
    query: customerFilterSchema,
    invalidMessage: "Fix the filter to export:",
    handler: download("csv"),
  }),
  page.get("/customers/export.xlsx", "customers.export", {
    query: customerFilterSchema,
    invalidMessage: "Fix the filter to export:",
    handler: download("xlsx"),
  }),
  page.get("/customers/new", "customers.manage", { handler: pages.showNew }),
  page.post("/customers", "customers.manage", {
    body: customerBody,
    form: customerForm,
    handler: pages.create,
  }),
  page.post("/customers/bulk", "customers.manage", {
    body: bulkFormSchema,
    form: { back: backToList, shows: ["validation_failed"] },
    handler: runBulk,
  }),
  page.get("/customers/:customerId", "customers.view", {
    params: customerParams,
    load: loadCustomer,
    handler: pages.showCustomer,
  }),
  page.get("/customers/:customerId/edit", "customers.manage", {
    params: customerParams,
    load: loadCustomer,
    handler: pages.showEdit,
  }),
  page.post("/customers/:customerId", "customers.manage", {
    params: customerParams,
    load: loadCustomer,
    body: customerBody,
    form: customerForm,
    handler: pages.update,
  }),
  page.post("/customers/:customerId/delete", "customers.manage", {
    params: customerParams,
    load: loadCustomer,
    handler: pages.remove,
  }),
  page.get("/customers/:customerId/merge", "customers.manage", {
    params: customerParams,
    load: loadCustomer,
    query: mergeQuerySchema,
    handler: showMerge,
  }),
  page.post("/customers/:customerId/merge", "customers.manage", {
    params: customerParams,
    load: loadCustomer,
    body: mergeSchema,
    form: {
      back: backToPick,
      message: () => "Choose the customer to merge.",
      shows: ["validation_failed"],
    },
    handler: merge,
  }),
  page.post("/customers/:customerId/notes", "customers.manage", {
    params: customerParams,
    load: loadCustomer,
    body: noteSchema,
    form: noteForm,
    handler: notes.add,
  }),
  page.post("/customers/:customerId/notes/:noteId", "customers.manage", {
    params: noteParams,
    load: loadNote,
    body: noteSchema,
    form: noteForm,
    handler: notes.edit,
  }),
  page.post("/customers/:customerId/notes/:noteId/delete", "customers.manage", {
    params: noteParams,
    load: loadNote,
    handler: notes.remove,
  }),
];

/** /api/v1/customers and their notes: the same commands and checks as the pages, in JSON. */
export const customerApiEndpoints: Endpoint[] = [
  api.get("/api/v1/customers", "customers.view", {
    summary: "List customers (the list page's filters and sorts)",
    query: apiListQuerySchema,
    documents: { query: customerListQueryDoc },
    response: respondsList(customerSchema, [customerExample]),
    handler: listApi,
  }),
  api.post("/api/v1/customers", "customers.manage", {
    summary: "Create a customer",
    body: customerBody,
    documents: { body: customerInputSchema("IN") },
    response: responds(customerSchema, customerExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/customers/:customerId", "customers.view", {
    summary: "One customer",
    response: responds(customerSchema, customerExample),
    params: customerParams,
    load: loadCustomer,
    handler: showApi,
  }),
  api.patch("/api/v1/customers/:customerId", "customers.manage", {
    summary: "Change a customer (only the fields sent)",
    documents: { body: customerInputSchema("IN").in.partial() },
    response: responds(customerSchema, customerExample),
    params: customerParams,
    load: loadForPatch,
    body: patchBody,
    handler: updateApi,
  }),
  api.delete("/api/v1/customers/:customerId", "customers.manage", {
    summary: "Delete a customer",
    response: responds(deletedSchema, { id: 42 }),
    params: customerParams,
    load: loadCustomer,
    handler: deleteApi,
  }),
  api.get("/api/v1/customers/:customerId/notes", "customers.view", {
    summary: "A customer's notes, newest first",
    response: respondsList(noteResponseSchema, [noteExample]),
    params: customerParams,
    load: loadCustomer,
    query: pageQuerySchema,
    handler: listNotesApi,
  }),
  api.post("/api/v1/customers/:customerId/notes", "customers.manage", {
    summary: "Add a note to a customer",
    response: responds(noteResponseSchema, noteExample, { status: 201 }),
    params: customerParams,
    load: loadCustomer,
    body: noteBodySchema,
    handler: addNoteApi,
  }),
  api.patch("/api/v1/customers/:customerId/notes/:noteId", "customers.manage", {
    summary: "Edit a note",
    response: responds(noteResponseSchema, noteExample),
    params: noteParams,
    load: loadNote,
    body: noteBodySchema,
    handler: editNoteApi,
  }),
  api.delete("/api/v1/customers/:customerId/notes/:noteId", "customers.manage", {
    summary: "Delete a note",
    response: responds(deletedSchema, { id: 7 }),
    params: noteParams,
    load: loadNote,
    handler: deleteNoteApi,
  }),
];
