import { routes, type Endpoint } from "../../http/endpoint";
import {
  create,
  loadTemplate,
  preview,
  renderEditFailure,
  renderNewFailure,
  save,
  sendTest,
  showEditor,
  showNew,
  showTemplates,
} from "./pages";
import {
  backToTemplate,
  confirmTemplateDelete,
  removeTemplate,
} from "../messageTemplates/deletePages";
import { emailTemplateSchema, previewSchema, templateParams, testSchema } from "./schema";

const page = routes({ auth: "page", feature: "campaigns" });
const shows = ["validation_failed", "conflict"] as const;
const one = { params: templateParams, load: loadTemplate };

/** E-mail templates of campaigns (issue 11, item 2): list, editor, live preview, send me a test, delete. */
export const emailTemplateEndpoints: Endpoint[] = [
  page.get("/email-templates", "campaigns.manage", { handler: showTemplates }),
  page.get("/email-templates/new", "campaigns.manage", { handler: showNew }),
  page.post("/email-templates", "campaigns.manage", {
    body: emailTemplateSchema,
    form: { render: renderNewFailure, shows },
    handler: create,
  }),
  page.post("/email-templates/preview", "campaigns.manage", {
    body: previewSchema,
    handler: preview,
  }),
  page.get("/email-templates/:templateId", "campaigns.manage", { ...one, handler: showEditor }),
  page.post("/email-templates/:templateId", "campaigns.manage", {
    ...one,
    body: emailTemplateSchema,
    form: { render: renderEditFailure, shows },
    handler: save,
  }),
  page.post("/email-templates/:templateId/test", "campaigns.manage", {
    ...one,
    body: testSchema,
    form: { render: renderEditFailure, shows },
    handler: sendTest,
  }),
  page.get("/email-templates/:templateId/delete", "campaigns.manage", {
    ...one,
    handler: confirmTemplateDelete,
  }),
  page.post("/email-templates/:templateId/delete", "campaigns.manage", {
    ...one,
    form: { back: backToTemplate, shows: ["conflict"] },
    handler: removeTemplate,
  }),
];
