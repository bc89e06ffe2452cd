import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { createApi, deleteApi, listApi, showApi, updateApi } from "./api";
import { renderFilterFailure, showBoard, showLeads } from "./listPages";
import {
  confirmDelete,
  create,
  loadLead,
  remove,
  renderLeadFailure,
  setStage,
  showEdit,
  showLead,
  showNew,
  stageBack,
  update,
} from "./pages";
import {
  apiCreateLeadSchema,
  apiLeadListSchema,
  apiUpdateLeadSchema,
  leadBodyDoc,
  leadExample,
  leadFilterSchema,
  leadFormSchema,
  leadParams,
  leadPatchDoc,
  leadSchema,
  stageFormSchema,
} from "./schema";

const page = routes({ auth: "page", feature: "leads" });
const api = routes({ auth: "api", feature: "leads" });
const shows = ["validation_failed", "conflict", "forbidden"] as const;
const one = { params: leadParams, load: loadLead };

/** Leads (issue 12, item 2): list, Kanban, lead page, forms; the API (item 11). */
export const leadEndpoints: Endpoint[] = [
  page.get("/leads", "leads.view", {
    query: leadFilterSchema,
    form: { render: renderFilterFailure },
    handler: showLeads,
  }),
  page.get("/leads/board", "leads.view", { query: leadFilterSchema, handler: showBoard }),
  page.get("/leads/new", "leads.manage", { handler: showNew }),
  page.post("/leads", "leads.manage", {
    body: leadFormSchema,
    form: { render: renderLeadFailure, shows },
    handler: create,
  }),
  page.get("/leads/:leadId", "leads.view", { ...one, handler: showLead }),
  page.get("/leads/:leadId/edit", "leads.manage", { ...one, handler: showEdit }),
  page.post("/leads/:leadId", "leads.manage", {
    ...one,
    body: leadFormSchema,
    form: { render: renderLeadFailure, shows },
    handler: update,
  }),
  page.post("/leads/:leadId/stage", "leads.manage", {
    ...one,
    body: stageFormSchema,
    form: { back: stageBack, shows },
    handler: setStage,
  }),
  page.get("/leads/:leadId/delete", "leads.manage", { ...one, handler: confirmDelete }),
  page.post("/leads/:leadId/delete", "leads.manage", { ...one, handler: remove }),

  api.get("/api/v1/leads", "leads.view", {
    summary:
      "List leads (filters: stage, temperature, ownerId, source, q), newest first; sales see their own",
    query: apiLeadListSchema,
    response: respondsList(leadSchema, [leadExample]),
    handler: listApi,
  }),
  api.post("/api/v1/leads", "leads.manage", {
    summary: "Create a lead (409 when its phone or e-mail is already a lead's)",
    body: apiCreateLeadSchema,
    documents: { body: leadBodyDoc },
    response: responds(leadSchema, leadExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/leads/:leadId", "leads.view", {
    summary: "One lead",
    ...one,
    response: responds(leadSchema, leadExample),
    handler: showApi,
  }),
  api.patch("/api/v1/leads/:leadId", "leads.manage", {
    summary: "Change a lead's fields (stage, score, owner, next action, ...)",
    ...one,
    body: apiUpdateLeadSchema,
    documents: { body: leadPatchDoc },
    response: responds(leadSchema, leadExample),
    handler: updateApi,
  }),
  api.delete("/api/v1/leads/:leadId", "leads.manage", {
    summary: "Delete a lead and its timeline",
    ...one,
    response: responds(deletedSchema, { id: 31 }),
    handler: deleteApi,
  }),
];
