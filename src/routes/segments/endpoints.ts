import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import { customerExample, customerSchema } from "../customers/apiResponses";
import { segmentExample, segmentSchema } from "./apiResponses";
import { pageQuerySchema } from "../../http/pagination";
import { routes, type Endpoint } from "../../http/endpoint";
import { createApi, customersApi, deleteApi, listApi, showApi, updateApi } from "./api";
import {
  backToFilter,
  loadSegment,
  open,
  remove,
  save,
  segmentMessage,
  showSegments,
} from "./pages";
import {
  apiPageSchema,
  segmentCreateSchema,
  segmentFormSchema,
  segmentParams,
  segmentUpdateSchema,
} from "./schema";

const page = routes({ auth: "page", feature: "segments" });
const api = routes({ auth: "api", feature: "segments" });

/** Saved customer filters: pages, and /api/v1/segments with the customers each one matches. */
export const segmentEndpoints: Endpoint[] = [
  page.get("/segments", "customers.view", { handler: showSegments }),
  page.post("/segments", "customers.view", {
    body: segmentFormSchema,
    form: { back: backToFilter, message: segmentMessage },
    handler: save,
  }),
  page.get("/segments/:segmentId", "customers.view", {
    params: segmentParams,
    load: loadSegment,
    handler: open,
  }),
  // Who may change a segment depends on the segment (its author, or segments.manage): the
  // command decides, so the page and the API answer alike.
  page.post("/segments/:segmentId/delete", "customers.view", {
    params: segmentParams,
    load: loadSegment,
    handler: remove,
  }),
  api.get("/api/v1/segments", "customers.view", {
    summary: "List saved segments",
    query: pageQuerySchema,
    response: respondsList(segmentSchema, [segmentExample]),
    handler: listApi,
  }),
  api.post("/api/v1/segments", "customers.view", {
    summary: "Save a segment (a named customer filter)",
    body: segmentCreateSchema,
    response: responds(segmentSchema, segmentExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/segments/:segmentId", "customers.view", {
    summary: "One segment",
    response: responds(segmentSchema, segmentExample),
    params: segmentParams,
    load: loadSegment,
    handler: showApi,
  }),
  api.patch("/api/v1/segments/:segmentId", "customers.view", {
    summary: "Rename or refilter a segment",
    response: responds(segmentSchema, segmentExample),
    params: segmentParams,
    load: loadSegment,
    body: segmentUpdateSchema,
    handler: updateApi,
  }),
  api.delete("/api/v1/segments/:segmentId", "customers.view", {
    summary: "Delete a segment",
    response: responds(deletedSchema, { id: 5 }),
    params: segmentParams,
    load: loadSegment,
    handler: deleteApi,
  }),
  api.get("/api/v1/segments/:segmentId/customers", "customers.view", {
    summary: "The customers in a segment",
    response: respondsList(customerSchema, [customerExample]),
    params: segmentParams,
    load: loadSegment,
    query: apiPageSchema,
    handler: customersApi,
  }),
];
