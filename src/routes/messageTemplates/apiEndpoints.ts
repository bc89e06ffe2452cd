import { deletedSchema, responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import {
  createEmailApi,
  createWhatsAppApi,
  deleteTemplateApi,
  listEmailApi,
  listWhatsAppApi,
  loadEmailTemplateApi,
  loadWhatsAppTemplate,
  showEmailApi,
  showWhatsAppApi,
  submitWhatsAppApi,
  updateEmailApi,
  updateWhatsAppApi,
} from "./api";
import {
  apiEmailTemplatePatchSchema,
  apiNewEmailTemplateSchema,
  apiNewWhatsAppTemplateSchema,
  apiWhatsAppTemplatePatchSchema,
  emailApiParams,
  emailTemplateApiSchema,
  emailTemplateExample,
  templatePageSchema,
  whatsAppApiParams,
  whatsAppTemplateExample,
  whatsAppTemplateSchema,
} from "./apiSchema";

/**
 * Templates under /api/v1 (issue 11, item 8), through the campaigns plan gate and the
 * campaigns.manage permission like the pages; token scopes whatsapp-templates:* and
 * email-templates:* (read off the paths).
 */
const api = routes({ auth: "api", feature: "campaigns" });
const wa = "/api/v1/whatsapp-templates";
const em = "/api/v1/email-templates";
const oneWa = { params: whatsAppApiParams, load: loadWhatsAppTemplate };
const oneEm = { params: emailApiParams, load: loadEmailTemplateApi };

export const templateApiEndpoints: Endpoint[] = [
  api.get(wa, "campaigns.manage", {
    summary: "List WhatsApp templates in id order (cursor paged)",
    query: templatePageSchema,
    response: respondsList(whatsAppTemplateSchema, [whatsAppTemplateExample]),
    handler: listWhatsAppApi,
  }),
  api.post(wa, "campaigns.manage", {
    summary:
      "Create a WhatsApp template as a draft (Meta's rules checked: name, language, placeholders {{1}}…{{n}} each with a source)",
    body: apiNewWhatsAppTemplateSchema,
    response: responds(whatsAppTemplateSchema, whatsAppTemplateExample, { status: 201 }),
    handler: createWhatsAppApi,
  }),
  api.get(`${wa}/:whatsappTemplateId`, "campaigns.manage", {
    summary: "One WhatsApp template with its approval status",
    ...oneWa,
    response: responds(whatsAppTemplateSchema, whatsAppTemplateExample),
    handler: showWhatsAppApi,
  }),
  api.patch(`${wa}/:whatsappTemplateId`, "campaigns.manage", {
    summary:
      "Change a draft or rejected template (the fields sent, over its current values; it is a draft again). 409 once Meta has it",
    ...oneWa,
    body: apiWhatsAppTemplatePatchSchema,
    response: responds(whatsAppTemplateSchema, whatsAppTemplateExample),
    handler: updateWhatsAppApi,
  }),
  api.post(`${wa}/:whatsappTemplateId/submit`, "campaigns.manage", {
    summary:
      "Submit a draft to Meta for approval (pending, or 409 with Meta's reason; needs a connected WhatsApp channel)",
    ...oneWa,
    response: responds(whatsAppTemplateSchema, {
      ...whatsAppTemplateExample,
      status: "pending",
      providerTemplateId: "1234567890",
      submittedAt: "2026-12-01T06:05:00.000Z",
    }),
    handler: submitWhatsAppApi,
  }),
  api.delete(`${wa}/:whatsappTemplateId`, "campaigns.manage", {
    summary:
      "Delete a WhatsApp template here (Meta's copy stays in WhatsApp Manager); 409 while a draft, scheduled, sending or paused campaign uses it",
    ...oneWa,
    response: responds(deletedSchema, { id: 31 }),
    handler: deleteTemplateApi,
  }),

  api.get(em, "campaigns.manage", {
    summary: "List e-mail templates in id order (cursor paged)",
    query: templatePageSchema,
    response: respondsList(emailTemplateApiSchema, [emailTemplateExample]),
    handler: listEmailApi,
  }),
  api.post(em, "campaigns.manage", {
    summary:
      "Create an e-mail template (known variables only; the body must contain {{unsubscribe_url}})",
    body: apiNewEmailTemplateSchema,
    response: responds(emailTemplateApiSchema, emailTemplateExample, { status: 201 }),
    handler: createEmailApi,
  }),
  api.get(`${em}/:emailTemplateId`, "campaigns.manage", {
    summary: "One e-mail template with its generated text part",
    ...oneEm,
    response: responds(emailTemplateApiSchema, emailTemplateExample),
    handler: showEmailApi,
  }),
  api.patch(`${em}/:emailTemplateId`, "campaigns.manage", {
    summary: "Change an e-mail template (the fields sent, over its current values)",
    ...oneEm,
    body: apiEmailTemplatePatchSchema,
    response: responds(emailTemplateApiSchema, emailTemplateExample),
    handler: updateEmailApi,
  }),
  api.delete(`${em}/:emailTemplateId`, "campaigns.manage", {
    summary:
      "Delete an e-mail template; 409 while a draft, scheduled, sending or paused campaign uses it",
    ...oneEm,
    response: responds(deletedSchema, { id: 32 }),
    handler: deleteTemplateApi,
  }),
];
