import { responds, respondsList } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import {
  add,
  builderBack,
  confirmDelete,
  confirmFieldDelete,
  create,
  loadForm,
  move,
  remove,
  removeFieldPage,
  renderAddFailure,
  renderFieldFailure,
  renderNewFailure,
  renderSettingsFailure,
  reorder,
  saveField,
  saveSettings,
  setStatus,
  showBuilder,
  showField,
  showForms,
} from "./pages";
import {
  apiFormListSchema,
  apiSubmissionListSchema,
  fieldInputSchema,
  fieldParams,
  formExample,
  formParams,
  formSchema,
  formSettingsSchema,
  moveSchema,
  newFormSchema,
  orderSchema,
  statusSchema,
  submissionExample,
  submissionPageSchema,
  submissionSchema,
} from "./schema";
import {
  exportSubmissions,
  listFormsApi,
  listSubmissionsApi,
  showFormApi,
  showSubmissions,
} from "./submissions";
import { deleteLogo, logoFieldsSchema, receiveLogo, renderLogoFailure, uploadLogo } from "./logo";

const page = routes({ auth: "page", feature: "forms" });
const api = routes({ auth: "api", feature: "forms" });
const shows = ["validation_failed", "conflict", "plan_limit"] as const;
const one = { params: formParams, load: loadForm };
const field = { params: fieldParams, load: loadForm };
const back = { back: builderBack, shows };

/** Lead-capture forms (issue 12, item 1): list, builder, submissions; the API (item 11). */
export const formEndpoints: Endpoint[] = [
  page.get("/forms", "campaigns.manage", { handler: showForms }),
  page.post("/forms", "campaigns.manage", {
    body: newFormSchema,
    form: { render: renderNewFailure, shows },
    handler: create,
  }),
  page.get("/forms/:formId", "campaigns.manage", { ...one, handler: showBuilder }),
  page.post("/forms/:formId", "campaigns.manage", {
    ...one,
    body: formSettingsSchema,
    form: { render: renderSettingsFailure, shows },
    handler: saveSettings,
  }),
  page.post("/forms/:formId/fields", "campaigns.manage", {
    ...one,
    body: fieldInputSchema,
    form: { render: renderAddFailure, shows },
    handler: add,
  }),
  page.post("/forms/:formId/fields/order", "campaigns.manage", {
    ...one,
    body: orderSchema,
    form: back,
    handler: reorder,
  }),
  page.get("/forms/:formId/fields/:fieldKey/edit", "campaigns.manage", {
    ...field,
    handler: showField,
  }),
  page.post("/forms/:formId/fields/:fieldKey", "campaigns.manage", {
    ...field,
    body: fieldInputSchema,
    form: { render: renderFieldFailure, shows },
    handler: saveField,
  }),
  page.post("/forms/:formId/fields/:fieldKey/move", "campaigns.manage", {
    ...field,
    body: moveSchema,
    form: back,
    handler: move,
  }),
  page.get("/forms/:formId/fields/:fieldKey/delete", "campaigns.manage", {
    ...field,
    handler: confirmFieldDelete,
  }),
  page.post("/forms/:formId/fields/:fieldKey/delete", "campaigns.manage", {
    ...field,
    handler: removeFieldPage,
  }),
  page.post("/forms/:formId/status", "campaigns.manage", {
    ...one,
    body: statusSchema,
    form: back,
    handler: setStatus,
  }),
  page.post("/forms/:formId/logo", "campaigns.manage", {
    ...one,
    upload: receiveLogo,
    body: logoFieldsSchema,
    form: { render: renderLogoFailure, shows: ["validation_failed", "payload_too_large"] },
    handler: uploadLogo,
  }),
  page.post("/forms/:formId/logo/delete", "campaigns.manage", { ...one, handler: deleteLogo }),
  page.get("/forms/:formId/submissions", "campaigns.manage", {
    ...one,
    query: submissionPageSchema,
    handler: showSubmissions,
  }),
  page.get("/forms/:formId/submissions.csv", "campaigns.manage", {
    ...one,
    handler: exportSubmissions,
  }),
  page.get("/forms/:formId/delete", "campaigns.manage", { ...one, handler: confirmDelete }),
  page.post("/forms/:formId/delete", "campaigns.manage", { ...one, handler: remove }),

  api.get("/api/v1/forms", "campaigns.manage", {
    summary: "List the business's forms, newest first, with their submission and spam counts",
    query: apiFormListSchema,
    response: respondsList(formSchema, [formExample]),
    handler: listFormsApi,
  }),
  api.get("/api/v1/forms/:formId", "campaigns.manage", {
    summary: "One form, with its fields in order and its public path",
    ...one,
    response: responds(formSchema, formExample),
    handler: showFormApi,
  }),
  api.get("/api/v1/forms/:formId/submissions", "campaigns.manage", {
    summary:
      "A form's submissions, newest first, each with what it became (lead, customer, ticket)",
    ...one,
    query: apiSubmissionListSchema,
    response: respondsList(submissionSchema, [submissionExample]),
    handler: listSubmissionsApi,
  }),
];
