import { responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { loadCampaign } from "./pages";
import { campaignParams } from "./schema";
import { cancelApi, pauseApi, recipientsApi, resumeApi, sendApi } from "./sendApi";
import { streamResults } from "./resultsLive";
import {
  cancel,
  duplicate,
  pause,
  renderSendFailure,
  resend,
  resultsCsv,
  resume,
  saveSettings,
  showResults,
  showSend,
  start,
} from "./sendPages";
import {
  apiSendSchema,
  deliveryQuerySchema,
  recipientQuerySchema,
  recipientSchema,
  sendSettingsSchema,
  sendStartSchema,
  sendStateSchema,
} from "./sendSchema";

const page = routes({ auth: "page", feature: "campaigns" });
const api = routes({ auth: "api", feature: "campaigns" });
const shows = ["validation_failed", "conflict", "forbidden", "plan_limit"] as const;
const one = { params: campaignParams, load: loadCampaign };
const stateExample = {
  id: 12,
  sendState: "sending",
  scheduledAt: null,
  pausedReason: null,
  resumeAt: null,
  counts: { total: 1200, queued: 700, sending: 25, sent: 400, delivered: 60, read: 15 },
};
const recipientExample = {
  id: 501,
  customerId: 88,
  customerName: "Asha Verma",
  address: "+919812345678",
  status: "failed" as const,
  errorCode: "131026",
  errorReason: "Message undeliverable",
  attempts: 1,
  sentAt: null,
  deliveredAt: null,
  readAt: null,
};

/** Sending campaigns (issue 11): the step-by-step page, lifecycle, live results; the API. */
export const campaignSendEndpoints: Endpoint[] = [
  page.get("/campaigns/:campaignId/send", "campaigns.manage", { ...one, handler: showSend }),
  page.post("/campaigns/:campaignId/send/settings", "campaigns.manage", {
    ...one,
    body: sendSettingsSchema,
    form: { render: renderSendFailure, shows },
    handler: saveSettings,
  }),
  page.post("/campaigns/:campaignId/send/start", "campaigns.manage", {
    ...one,
    body: sendStartSchema,
    form: { render: renderSendFailure, shows },
    handler: start,
  }),
  page.post("/campaigns/:campaignId/send/pause", "campaigns.manage", { ...one, handler: pause }),
  page.post("/campaigns/:campaignId/send/resume", "campaigns.manage", { ...one, handler: resume }),
  page.post("/campaigns/:campaignId/send/cancel", "campaigns.manage", { ...one, handler: cancel }),
  page.post("/campaigns/:campaignId/duplicate", "campaigns.manage", { ...one, handler: duplicate }),
  page.post("/campaigns/:campaignId/resend-failed", "campaigns.manage", {
    ...one,
    handler: resend,
  }),
  page.get("/campaigns/:campaignId/results", "campaigns.manage", {
    ...one,
    query: deliveryQuerySchema,
    handler: showResults,
  }),
  page.get("/campaigns/:campaignId/results/live", "campaigns.manage", {
    ...one,
    handler: streamResults,
  }),
  page.get("/campaigns/:campaignId/results.csv", "campaigns.manage", {
    ...one,
    handler: resultsCsv,
  }),

  api.post("/api/v1/campaigns/:campaignId/send", "campaigns.manage", {
    summary:
      "Send a campaign now, or at `at` (ISO 8601): its audience is frozen into recipients (approved template, plan's campaigns a month)",
    ...one,
    body: apiSendSchema,
    response: responds(sendStateSchema, stateExample, { status: 202 }),
    handler: sendApi,
  }),
  api.post("/api/v1/campaigns/:campaignId/pause", "campaigns.manage", {
    summary: "Pause a sending campaign",
    ...one,
    response: responds(sendStateSchema, { ...stateExample, sendState: "paused" }),
    handler: pauseApi,
  }),
  api.post("/api/v1/campaigns/:campaignId/resume", "campaigns.manage", {
    summary: "Resume a paused campaign",
    ...one,
    response: responds(sendStateSchema, stateExample),
    handler: resumeApi,
  }),
  api.post("/api/v1/campaigns/:campaignId/cancel", "campaigns.manage", {
    summary: "Cancel a scheduled, sending or paused campaign",
    ...one,
    response: responds(sendStateSchema, { ...stateExample, sendState: "cancelled" }),
    handler: cancelApi,
  }),
  api.get("/api/v1/campaigns/:campaignId/recipients", "campaigns.manage", {
    summary: "A campaign's recipients with status and failure reason (cursor paged; status filter)",
    ...one,
    query: recipientQuerySchema,
    response: respondsList(recipientSchema, [recipientExample]),
    handler: recipientsApi,
  }),
];
