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
import * as nurture from "./nurturePages";
import * as stagePages from "./stagePages";
import * as work from "./work";
import { leadWorkApiEndpoints } from "./workApiEndpoints";
import {
  convertSchema,
  leadNoteParams,
  leadNoteSchema,
  leadTaskSchema,
  nurtureRunSchema,
  nurtureSelectSchema,
  stageCodeParams,
  stageMoveSchema,
  stageNameSchema,
  stageRemoveSchema,
} from "./workSchema";
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
const note = { params: leadNoteParams, load: work.loadNote };
const onLeadPage = { back: work.backToLead, message: work.firstProblem, shows };
const onStages = { back: stagePages.backToStages, message: stagePages.stageProblem, shows };

/** Leads (issue 12, item 2): list, Kanban, lead page, forms; the API (item 11). */
export const leadEndpoints: Endpoint[] = [
  page.get("/leads", "leads.view", {
    query: leadFilterSchema,
    form: { render: renderFilterFailure },
    handler: showLeads,
  }),
  page.get("/leads/board", "leads.view", { query: leadFilterSchema, handler: showBoard }),
  page.get("/leads/new", "leads.manage", { handler: showNew }),
  // Nurture (issue 12, item 5): ticked leads → a sequence → its confirmation → tasks.
  page.get("/leads/nurture", "leads.manage", {
    query: nurtureSelectSchema,
    form: { back: nurture.nurtureBack, shows },
    handler: nurture.showNurture,
  }),
  page.post("/leads/nurture", "leads.manage", {
    body: nurtureRunSchema,
    form: { render: nurture.renderNurtureFailure, shows },
    handler: nurture.postNurture,
  }),
  // The business's lead stages (same people as the deal pipelines' stages).
  page.get("/leads/stages", "pipelines.manage", { handler: stagePages.showStages }),
  page.post("/leads/stages", "pipelines.manage", {
    body: stageNameSchema,
    form: onStages,
    handler: stagePages.addStage,
  }),
  page.post("/leads/stages/:code", "pipelines.manage", {
    params: stageCodeParams,
    load: stagePages.loadStage,
    body: stageNameSchema,
    form: onStages,
    handler: stagePages.renameStage,
  }),
  page.post("/leads/stages/:code/move", "pipelines.manage", {
    params: stageCodeParams,
    load: stagePages.loadStage,
    body: stageMoveSchema,
    form: onStages,
    handler: stagePages.moveStage,
  }),
  page.get("/leads/stages/:code/remove", "pipelines.manage", {
    params: stageCodeParams,
    load: stagePages.loadStage,
    handler: stagePages.confirmRemoveStage,
  }),
  page.post("/leads/stages/:code/remove", "pipelines.manage", {
    params: stageCodeParams,
    load: stagePages.loadStage,
    body: stageRemoveSchema,
    form: { back: stagePages.backToRemove, message: stagePages.stageProblem, shows },
    handler: stagePages.removeStage,
  }),
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
  page.post("/leads/:leadId/notes", "leads.manage", {
    ...one,
    body: leadNoteSchema,
    form: onLeadPage,
    handler: work.addNote,
  }),
  page.post("/leads/:leadId/notes/:noteId", "leads.manage", {
    ...note,
    body: leadNoteSchema,
    form: onLeadPage,
    handler: work.editNote,
  }),
  page.get("/leads/:leadId/notes/:noteId/delete", "leads.manage", {
    ...note,
    handler: work.confirmDeleteNote,
  }),
  page.post("/leads/:leadId/notes/:noteId/delete", "leads.manage", {
    ...note,
    form: onLeadPage,
    handler: work.removeNote,
  }),
  page.post("/leads/:leadId/tasks", "tasks.manage", {
    ...one,
    body: leadTaskSchema,
    form: onLeadPage,
    handler: work.addTask,
  }),
  // Conversion (item 6): the deal's details, then customer + deal in one transaction.
  page.get("/leads/:leadId/convert", "deals.manage", { ...one, handler: work.showConvert }),
  page.post("/leads/:leadId/convert", "deals.manage", {
    ...one,
    body: convertSchema,
    form: { render: work.renderConvertFailure, shows },
    handler: work.convert,
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
  ...leadWorkApiEndpoints,
];
