import { z } from "zod";
import { isoTime, named } from "../../http/apiResponse";
import { pageQuerySchema } from "../../http/pagination";
import { idField, idParams, recordId } from "../../http/params";
import {
  formAssignments,
  formFieldTargets,
  formFieldTypes,
  formKinds,
  formStatuses,
  submissionOutcomes,
} from "../../models/Form";

export { fieldInputSchema } from "../../commands/forms/fields";
export { formSettingsSchema, newFormSchema } from "../../commands/forms/forms";

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

export const formParams = idParams("formId");
export const fieldParams = z.object({
  formId: recordId,
  fieldKey: z.string().regex(/^f\d{1,4}$/),
});

/** The up/down buttons of the builder (the no-JavaScript way to reorder). */
export const moveSchema = z.object({
  direction: z.enum(["up", "down"], { error: "Move a field up or down." }),
});

/** The drag and drop's new order: every field key once, comma-separated. */
export const orderSchema = z.object({
  order: z
    .string({ error: "Send the fields' order." })
    .max(400)
    .transform((value) => value.split(",").map((key) => key.trim())),
});

export const statusSchema = z.object({
  status: z.enum(formStatuses, { error: "Publish or unpublish the form." }),
});

/** GET /forms/:formId/submissions: the page's position (id of the last row seen). */
export const submissionPageSchema = z.object({
  before: z.preprocess(blank, idField().optional()).catch(undefined),
});

export const apiFormListSchema = pageQuerySchema;
export const apiSubmissionListSchema = pageQuerySchema;

const fieldSchema = z.strictObject({
  key: z.string(),
  type: z.enum(formFieldTypes),
  label: z.string(),
  helpText: z.string().nullable(),
  required: z.boolean(),
  options: z.array(z.string()),
  target: z.enum(formFieldTargets),
});

/** A form as the API answers it (commands/forms/present.ts presentForm). */
export const formSchema = named(
  "Form",
  z.strictObject({
    id: z.number().int(),
    slug: z.string(),
    kind: z.enum(formKinds),
    status: z.enum(formStatuses),
    title: z.string(),
    description: z.string().nullable(),
    fields: z.array(fieldSchema),
    successMessage: z.string().nullable(),
    redirectUrl: z.string().nullable(),
    color: z.string(),
    source: z.string(),
    campaignName: z.string().nullable(),
    assignment: z.enum(formAssignments),
    assigneeId: z.number().int().nullable(),
    submissionCount: z.number().int(),
    spamCount: z.number().int(),
    publicPath: z.string(),
    publishedAt: isoTime().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const formExample: z.input<typeof formSchema> = {
  id: 4,
  slug: "free-demo-3f9a2c",
  kind: "lead",
  status: "published",
  title: "Book a free demo",
  description: "Tell us a little about your business.",
  fields: [
    {
      key: "f1",
      type: "text",
      label: "Your name",
      helpText: null,
      required: true,
      options: [],
      target: "fullName",
    },
    {
      key: "f2",
      type: "email",
      label: "E-mail",
      helpText: null,
      required: true,
      options: [],
      target: "",
    },
  ],
  successMessage: "Thank you! We will call you within a day.",
  redirectUrl: null,
  color: "#0d6efd",
  source: "Web form",
  campaignName: "Launch Sprint 2025",
  assignment: "round_robin",
  assigneeId: null,
  submissionCount: 42,
  spamCount: 7,
  publicPath: "/f/free-demo-3f9a2c",
  publishedAt: "2026-12-01T09:00:00.000Z",
  createdAt: "2026-11-30T09:00:00.000Z",
  updatedAt: "2026-12-01T09:00:00.000Z",
};

/** A submission as the API and the form.submitted webhook show it. */
export const submissionSchema = named(
  "FormSubmission",
  z.strictObject({
    id: z.number().int(),
    formId: z.number().int(),
    outcome: z.enum(submissionOutcomes),
    leadId: z.number().int().nullable(),
    customerId: z.number().int().nullable(),
    ticketId: z.number().int().nullable(),
    answers: z.array(
      z.strictObject({
        key: z.string(),
        label: z.string(),
        answer: z.union([z.string(), z.array(z.string()), z.boolean()]),
      }),
    ),
    utmSource: z.string().nullable(),
    utmMedium: z.string().nullable(),
    utmCampaign: z.string().nullable(),
    utmTerm: z.string().nullable(),
    utmContent: z.string().nullable(),
    referrer: z.string().nullable(),
    landingPage: z.string().nullable(),
    createdAt: isoTime(),
  }),
);

export const submissionExample: z.input<typeof submissionSchema> = {
  id: 118,
  formId: 4,
  outcome: "created_lead",
  leadId: 31,
  customerId: null,
  ticketId: null,
  answers: [
    { key: "f1", label: "Your name", answer: "Priya Menon" },
    { key: "f2", label: "E-mail", answer: "priya.menon@finedge.co" },
  ],
  utmSource: "google",
  utmMedium: "cpc",
  utmCampaign: "webinar-q2",
  utmTerm: null,
  utmContent: null,
  referrer: "https://www.google.com/",
  landingPage: "https://crm.example.com/f/free-demo-3f9a2c?utm_source=google",
  createdAt: "2026-12-01T10:15:00.000Z",
};
