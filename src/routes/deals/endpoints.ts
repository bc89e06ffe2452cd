import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { createApi, deleteApi, listApi, moveApi, pipelinesApi, showApi, updateApi } from "./api";
import { renderFilterFailure, showBoard, showList } from "./listPages";
import {
  confirmDelete,
  create,
  destroy,
  loadDeal,
  move,
  moveBack,
  renderDealFailure,
  showDeal,
  showEdit,
  showNew,
  update,
} from "./pages";
import {
  confirmRemove,
  createStage,
  destroyStage,
  loadPipeline,
  loadStage,
  newPipeline,
  pipelineBack,
  savePipeline,
  renderStageFailure,
  reorderStage,
  saveStage,
  showPipeline,
  stageBack,
} from "./pipelines";
import {
  apiCreateDealSchema,
  apiDealListSchema,
  apiMoveDealSchema,
  apiUpdateDealSchema,
  dealExample,
  dealFilterSchema,
  dealFormSchema,
  dealParams,
  dealSchema,
  moveFormSchema,
  newDealQuery,
  pipelineExample,
  pipelineFormSchema,
  pipelineParams,
  pipelineSchema,
  stageFormSchema,
  stageMoveFormSchema,
  stageParams,
  stageRemoveFormSchema,
} from "./schema";

const page = routes({ auth: "page", feature: "deals" });
const api = routes({ auth: "api", feature: "deals" });
const shows = ["validation_failed", "conflict"] as const;
const one = { params: dealParams, load: loadDeal };
const pipeline = { params: pipelineParams, load: loadPipeline };
const stage = { params: stageParams, load: loadStage };

/** Deals: board, list, deal page, forms, pipeline settings; the API. */
export const dealEndpoints: Endpoint[] = [
  page.get("/deals", "deals.view", { query: dealFilterSchema, handler: showBoard }),
  page.get("/deals/list", "deals.view", {
    query: dealFilterSchema,
    form: { render: renderFilterFailure },
    handler: showList,
  }),
  page.get("/deals/new", "deals.manage", { query: newDealQuery, handler: showNew }),
  page.post("/deals", "deals.manage", {
    body: dealFormSchema,
    form: { render: renderDealFailure, shows },
    handler: create,
  }),
  page.get("/deals/:dealId", "deals.view", { ...one, handler: showDeal }),
  page.get("/deals/:dealId/edit", "deals.manage", { ...one, handler: showEdit }),
  page.post("/deals/:dealId", "deals.manage", {
    ...one,
    body: dealFormSchema,
    form: { render: renderDealFailure, shows },
    handler: update,
  }),
  page.post("/deals/:dealId/stage", "deals.manage", {
    ...one,
    body: moveFormSchema,
    form: { back: moveBack, shows },
    handler: move,
  }),
  page.get("/deals/:dealId/delete", "deals.manage", { ...one, handler: confirmDelete }),
  page.post("/deals/:dealId/delete", "deals.manage", { ...one, handler: destroy }),

  page.post("/deals/pipelines", "pipelines.manage", {
    body: pipelineFormSchema,
    form: { back: pipelineBack, shows },
    handler: newPipeline,
  }),
  page.post("/deals/pipelines/:pipelineId", "pipelines.manage", {
    ...pipeline,
    body: pipelineFormSchema,
    form: { back: pipelineBack, shows },
    handler: savePipeline,
  }),
  page.get("/deals/pipelines/:pipelineId", "pipelines.manage", {
    ...pipeline,
    handler: showPipeline,
  }),
  page.post("/deals/pipelines/:pipelineId/stages", "pipelines.manage", {
    ...pipeline,
    body: stageFormSchema,
    form: { render: renderStageFailure, shows },
    handler: createStage,
  }),
  page.post("/deals/pipelines/:pipelineId/stages/:stageId", "pipelines.manage", {
    ...stage,
    body: stageFormSchema,
    form: { back: stageBack, shows },
    handler: saveStage,
  }),
  page.post("/deals/pipelines/:pipelineId/stages/:stageId/move", "pipelines.manage", {
    ...stage,
    body: stageMoveFormSchema,
    form: { back: stageBack, shows },
    handler: reorderStage,
  }),
  page.get("/deals/pipelines/:pipelineId/stages/:stageId/remove", "pipelines.manage", {
    ...stage,
    handler: confirmRemove,
  }),
  page.post("/deals/pipelines/:pipelineId/stages/:stageId/remove", "pipelines.manage", {
    ...stage,
    body: stageRemoveFormSchema,
    form: { back: stageBack, shows },
    handler: destroyStage,
  }),

  api.get("/api/v1/pipelines", "deals.view", {
    summary:
      "The business's pipelines with their stages in order (the default Sales pipeline is made on first use)",
    response: respondsList(pipelineSchema, [pipelineExample]),
    handler: pipelinesApi,
  }),
  api.get("/api/v1/deals", "deals.view", {
    summary:
      "List deals (filters: pipelineId, stageId, ownerId, stale, customerId), newest first; sales see their own",
    query: apiDealListSchema,
    response: respondsList(dealSchema, [dealExample]),
    handler: listApi,
  }),
  api.post("/api/v1/deals", "deals.manage", {
    summary: "Create a deal (amountMinor in minor units; currency defaults to the business's)",
    body: apiCreateDealSchema,
    response: responds(dealSchema, dealExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/deals/:dealId", "deals.view", {
    summary: "One deal",
    ...one,
    response: responds(dealSchema, dealExample),
    handler: showApi,
  }),
  api.patch("/api/v1/deals/:dealId", "deals.manage", {
    summary: "Change a deal (stageId moves it; stage, amount and owner changes go on its timeline)",
    ...one,
    body: apiUpdateDealSchema,
    response: responds(dealSchema, dealExample),
    handler: updateApi,
  }),
  api.post("/api/v1/deals/:dealId/stage", "deals.manage", {
    summary: "Move a deal to another stage of its pipeline (publishes deal.stage_changed)",
    ...one,
    body: apiMoveDealSchema,
    response: responds(dealSchema, dealExample),
    handler: moveApi,
  }),
  api.delete("/api/v1/deals/:dealId", "deals.manage", {
    summary: "Delete a deal and its timeline",
    ...one,
    response: responds(deletedSchema, { id: 12 }),
    handler: deleteApi,
  }),
];
