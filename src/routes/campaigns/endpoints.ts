import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { createApi, deleteApi, listApi, showApi, updateApi } from "./api";
import {
  confirmDelete,
  create,
  loadCampaign,
  remove,
  renderCampaignFailure,
  renderFilterFailure,
  showCampaign,
  showCampaigns,
  showEdit,
  showNew,
  update,
} from "./pages";
import {
  apiCampaignListSchema,
  apiCreateCampaignSchema,
  apiUpdateCampaignSchema,
  campaignExample,
  campaignFilterSchema,
  campaignFormFor,
  campaignParams,
  campaignSchema,
} from "./schema";

const page = routes({ auth: "page", feature: "campaigns" });
const api = routes({ auth: "api", feature: "campaigns" });
const shows = ["validation_failed", "conflict", "forbidden"] as const;
const one = { params: campaignParams, load: loadCampaign };

/** Campaign planning (issue 12, item 8): list, campaign page, forms; the API. */
export const campaignEndpoints: Endpoint[] = [
  page.get("/campaigns", "campaigns.manage", {
    query: campaignFilterSchema,
    form: { render: renderFilterFailure },
    handler: showCampaigns,
  }),
  page.get("/campaigns/new", "campaigns.manage", { handler: showNew }),
  page.post("/campaigns", "campaigns.manage", {
    body: campaignFormFor,
    form: { render: renderCampaignFailure, shows },
    handler: create,
  }),
  page.get("/campaigns/:campaignId", "campaigns.manage", { ...one, handler: showCampaign }),
  page.get("/campaigns/:campaignId/edit", "campaigns.manage", { ...one, handler: showEdit }),
  page.post("/campaigns/:campaignId", "campaigns.manage", {
    ...one,
    body: campaignFormFor,
    form: { render: renderCampaignFailure, shows },
    handler: update,
  }),
  page.get("/campaigns/:campaignId/delete", "campaigns.manage", { ...one, handler: confirmDelete }),
  page.post("/campaigns/:campaignId/delete", "campaigns.manage", { ...one, handler: remove }),

  api.get("/api/v1/campaigns", "campaigns.manage", {
    summary:
      "List campaigns (filters: status, channel, ownerId, q) with their results, newest first",
    query: apiCampaignListSchema,
    response: respondsList(campaignSchema, [campaignExample]),
    handler: listApi,
  }),
  api.post("/api/v1/campaigns", "campaigns.manage", {
    summary: "Create a campaign (money in minor units; 409 when the name is taken)",
    body: apiCreateCampaignSchema,
    response: responds(campaignSchema, campaignExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/campaigns/:campaignId", "campaigns.manage", {
    summary: "One campaign with its generated leads, won deals, revenue, ROI and cost per lead",
    ...one,
    response: responds(campaignSchema, campaignExample),
    handler: showApi,
  }),
  api.patch("/api/v1/campaigns/:campaignId", "campaigns.manage", {
    summary: "Change a campaign's plan (status, spend, team, checklist, ...)",
    ...one,
    body: apiUpdateCampaignSchema,
    response: responds(campaignSchema, campaignExample),
    handler: updateApi,
  }),
  api.delete("/api/v1/campaigns/:campaignId", "campaigns.manage", {
    summary: "Delete a campaign and its team (leads keep their campaign text)",
    ...one,
    response: responds(deletedSchema, { id: 12 }),
    handler: deleteApi,
  }),
];
