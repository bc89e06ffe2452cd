import { routes, type Endpoint } from "../../http/endpoint";
import {
  create,
  loadTemplate,
  renderFailure,
  showEdit,
  showList,
  showNew,
  showTemplate,
  submit,
  sync,
  update,
} from "./pages";
import { backToTemplate, confirmTemplateDelete, removeTemplate } from "./deletePages";
import { listQuery, showQuery, templateParams, whatsAppTemplateSchema } from "./schema";

/**
 * Message templates (issue 11, item 2): the list of both channels, and WhatsApp templates' pages —
 * form, preview with a real customer, submit for Meta's approval, sync its status, delete.
 */
const page = routes({ auth: "page", feature: "campaigns" });
const base = "/campaigns/templates";
const one = { params: templateParams, load: loadTemplate };
const shows = ["validation_failed", "conflict"] as const;
const back = ({ params }: { params: { whatsappTemplateId: number } }) =>
  `${base}/${params.whatsappTemplateId}`;

export const messageTemplateEndpoints: Endpoint[] = [
  page.get(base, "campaigns.manage", { query: listQuery, handler: showList }),
  page.get(`${base}/new`, "campaigns.manage", { handler: showNew }),
  page.post(base, "campaigns.manage", {
    body: whatsAppTemplateSchema,
    form: { render: renderFailure, shows },
    handler: create,
  }),
  page.get(`${base}/:whatsappTemplateId`, "campaigns.manage", {
    ...one,
    query: showQuery,
    handler: showTemplate,
  }),
  page.get(`${base}/:whatsappTemplateId/edit`, "campaigns.manage", { ...one, handler: showEdit }),
  page.post(`${base}/:whatsappTemplateId`, "campaigns.manage", {
    ...one,
    body: whatsAppTemplateSchema,
    form: { render: renderFailure, shows },
    handler: update,
  }),
  page.post(`${base}/:whatsappTemplateId/submit`, "campaigns.manage", {
    ...one,
    form: { back, shows: ["conflict"] },
    handler: submit,
  }),
  page.post(`${base}/:whatsappTemplateId/sync`, "campaigns.manage", {
    ...one,
    form: { back, shows: ["conflict"] },
    handler: sync,
  }),
  page.get(`${base}/:whatsappTemplateId/delete`, "campaigns.manage", {
    ...one,
    handler: confirmTemplateDelete,
  }),
  page.post(`${base}/:whatsappTemplateId/delete`, "campaigns.manage", {
    ...one,
    form: { back: backToTemplate, shows: ["conflict"] },
    handler: removeTemplate,
  }),
];
