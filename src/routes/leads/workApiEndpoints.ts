import { loadLead } from "./pages";
import { responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { leadExample, leadParams, leadSchema } from "./schema";
import {
  addNoteApi,
  convertApi,
  listEventsApi,
  listNotesApi,
  moveStageApi,
  nurtureApi,
} from "./workApi";
import {
  apiConvertSchema,
  apiEventListSchema,
  apiNoteBodySchema,
  apiNoteListSchema,
  apiNurtureSchema,
  apiStageMoveSchema,
  conversionSchema,
  eventExample,
  leadEventSchema,
  leadNoteSchema,
  noteExample,
  nurtureResultSchema,
} from "./workApiSchema";

const api = routes({ auth: "api", feature: "leads" });
const one = { params: leadParams, load: loadLead };

/** The lead API's work beyond the record itself: notes, timeline, stage, nurture, conversion. */
export const leadWorkApiEndpoints: Endpoint[] = [
  api.get("/api/v1/leads/:leadId/notes", "leads.view", {
    summary: "A lead's notes, newest first (cursor-paged)",
    ...one,
    query: apiNoteListSchema,
    response: respondsList(leadNoteSchema, [noteExample]),
    handler: listNotesApi,
  }),
  api.post("/api/v1/leads/:leadId/notes", "leads.manage", {
    summary: "Add a note to a lead",
    ...one,
    body: apiNoteBodySchema,
    response: responds(leadNoteSchema, noteExample, { status: 201 }),
    handler: addNoteApi,
  }),
  api.get("/api/v1/leads/:leadId/events", "leads.view", {
    summary:
      "A lead's timeline entries (created, stage and owner changes, forms, conversion, nurture), newest first (cursor-paged)",
    ...one,
    query: apiEventListSchema,
    response: respondsList(leadEventSchema, [eventExample]),
    handler: listEventsApi,
  }),
  api.post("/api/v1/leads/:leadId/stage", "leads.manage", {
    summary: "Move a lead to another of the business's stages (not Converted: convert it)",
    ...one,
    body: apiStageMoveSchema,
    response: responds(leadSchema, leadExample),
    handler: moveStageApi,
  }),
  api.post("/api/v1/leads/:leadId/convert", "deals.manage", {
    summary:
      "Convert a lead: the customer with its phone or e-mail (else a new one) and a deal, in one transaction (409 when already converted)",
    ...one,
    body: apiConvertSchema,
    response: responds(
      conversionSchema,
      { leadId: 31, customerId: 12, dealId: 8, matched: false },
      { status: 201 },
    ),
    handler: convertApi,
  }),
  api.post("/api/v1/leads/nurture", "leads.manage", {
    summary:
      "Plan follow-up tasks for leads' owners (default: day 0 call, day 2 e-mail, day 5 call); the same runKey again creates nothing more",
    body: apiNurtureSchema,
    response: responds(
      nurtureResultSchema,
      { runKey: "0123456789abcdef", created: 3, skipped: 0, leads: 1 },
      { status: 201 },
    ),
    handler: nurtureApi,
  }),
];
