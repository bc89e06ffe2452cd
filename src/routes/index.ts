import type { Application } from "express";
import type { Deps } from "../deps";
import type { Endpoint } from "../http/endpoint";
import { checkEndpoints, endpointRouter } from "../http/mount";
import { adminEndpoints } from "./admin/endpoints";
import { billingEndpoints } from "./billing/endpoints";
import { invoiceEndpoints } from "./invoices/endpoints";
import { pricingEndpoints } from "./pricing/endpoints";
import { apiDocsEndpoints, apiRootEndpoints } from "./api/endpoints";
import { registerEndpoints } from "../http/registry";
import { apiTokenEndpoints } from "./apiTokens/endpoints";
import { authEndpoints, passwordEndpoints, registrationEndpoints } from "./auth/endpoints";
import { businessEndpoints } from "./businesses/endpoints";
import { customerApiEndpoints, customerEndpoints } from "./customers/endpoints";
import { devEndpoints } from "./dev/endpoints";
import { healthEndpoints } from "./health/endpoints";
import { homeEndpoints } from "./home/endpoints";
import { importEndpoints } from "./imports/endpoints";
import { invitationEndpoints } from "./invitations/endpoints";
import { leadEndpoints } from "./leads/endpoints";
import { leadSettingsEndpoints } from "./leadSettings/endpoints";
import { formEndpoints } from "./forms/endpoints";
import { publicFormEndpoints } from "./publicForms/endpoints";
import { trackingEndpoints } from "./tracking/endpoints";
import { emailTemplateEndpoints } from "./emailTemplates/endpoints";
import { campaignEndpoints } from "./campaigns/endpoints";
import { campaignSendEndpoints } from "./campaigns/sendEndpoints";
import { socialEndpoints } from "./social/endpoints";
import { analyticsEndpoints } from "./analytics/endpoints";
import { notificationEndpoints } from "./notifications/endpoints";
import { planEndpoints } from "./plans/endpoints";
import { profileEndpoints } from "./profile/endpoints";
import { segmentEndpoints } from "./segments/endpoints";
import { tagEndpoints } from "./tags/endpoints";
import { taskEndpoints } from "./tasks/endpoints";
import { teamEndpoints } from "./team/endpoints";
import { dealEndpoints } from "./deals/endpoints";
import { ticketEndpoints } from "./tickets/endpoints";
import { webhookSettingsEndpoints } from "./webhookSettings/endpoints";
import { channelEndpoints } from "./channels/endpoints";
import { emailSuppressionEndpoints } from "./emailSuppressions/endpoints";
import { socialAccountEndpoints } from "./socialAccounts/endpoints";
import { messageTemplateEndpoints } from "./messageTemplates/endpoints";
import { templateApiEndpoints } from "./messageTemplates/apiEndpoints";
import { whatsAppWebhookEndpoints } from "./whatsappWebhook/endpoints";

/**
 * Every endpoint of the app, one table per resource (routes/<resource>/endpoints.ts). Adding a
 * resource: write its table, list it here. Within a mode, earlier entries match first.
 */
export const endpoints: readonly Endpoint[] = [
  ...healthEndpoints,
  ...apiRootEndpoints,
  ...apiDocsEndpoints,
  ...homeEndpoints,
  ...authEndpoints,
  ...registrationEndpoints,
  ...passwordEndpoints,
  ...devEndpoints,
  ...profileEndpoints,
  ...apiTokenEndpoints,
  ...businessEndpoints,
  ...teamEndpoints,
  ...invitationEndpoints,
  ...notificationEndpoints,
  ...planEndpoints,
  ...pricingEndpoints,
  ...invoiceEndpoints,
  ...billingEndpoints,
  ...adminEndpoints,
  ...taskEndpoints,
  ...customerEndpoints,
  ...customerApiEndpoints,
  ...tagEndpoints,
  ...segmentEndpoints,
  ...importEndpoints,
  ...ticketEndpoints,
  ...dealEndpoints,
  ...leadEndpoints,
  ...leadSettingsEndpoints,
  ...formEndpoints,
  ...publicFormEndpoints,
  ...trackingEndpoints,
  ...emailTemplateEndpoints,
  ...campaignSendEndpoints,
  ...campaignEndpoints,
  ...socialAccountEndpoints,
  ...socialEndpoints,
  ...analyticsEndpoints,
  ...webhookSettingsEndpoints,
  ...channelEndpoints,
  ...emailSuppressionEndpoints,
  ...messageTemplateEndpoints,
  ...templateApiEndpoints,
  ...whatsAppWebhookEndpoints,
];

registerEndpoints(() => endpoints);

/**
 * Webhooks and public endpoints (forms, health checks), mounted before the session middleware:
 * they never read or write a session, whatever cookie comes with them. Checks the whole table
 * first, so an endpoint without a permission stops the app from building.
 */
export function mountBeforeSession(app: Application, deps: Deps, list: readonly Endpoint[]): void {
  checkEndpoints(list);
  app.use(endpointRouter(deps, list, "webhook"));
  app.use(endpointRouter(deps, list, "public"));
}

/** Pages: after the session, CSRF and the signed-in context. */
export function mountPages(app: Application, deps: Deps, list: readonly Endpoint[]): void {
  app.use(endpointRouter(deps, list, "page"));
}
