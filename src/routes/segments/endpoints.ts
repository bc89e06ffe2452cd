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
  api.get("/api/v1/segments", "customers.view", { query: pageQuerySchema, handler: listApi }),
  api.post("/api/v1/segments", "customers.view", { body: segmentCreateSchema, handler: createApi }),
  api.get("/api/v1/segments/:segmentId", "customers.view", {
    params: segmentParams,
    load: loadSegment,
    handler: showApi,
  }),
  api.patch("/api/v1/segments/:segmentId", "customers.view", {
    params: segmentParams,
    load: loadSegment,
    body: segmentUpdateSchema,
    handler: updateApi,
  }),
  api.delete("/api/v1/segments/:segmentId", "customers.view", {
    params: segmentParams,
    load: loadSegment,
    handler: deleteApi,
  }),
  api.get("/api/v1/segments/:segmentId/customers", "customers.view", {
    params: segmentParams,
    load: loadSegment,
    query: apiPageSchema,
    handler: customersApi,
  }),
];
