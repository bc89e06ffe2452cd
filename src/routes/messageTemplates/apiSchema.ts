import { z } from "zod";
import { named, isoTime } from "../../http/apiResponse";
import { pageQuerySchema } from "../../http/pagination";
import { idParams } from "../../http/params";
import { placeholderFields } from "../../commands/messageTemplates/params";

/**
 * The templates API (issue 11, item 8): WhatsApp templates at /api/v1/whatsapp-templates and
 * e-mail templates at /api/v1/email-templates. Bodies are JSON in the API's own names; the
 * commands check the rest (Meta's rules, variables) and answer every field's reason at once.
 */
export const whatsAppApiParams = idParams("whatsappTemplateId");
export const emailApiParams = idParams("emailTemplateId");
export const templatePageSchema = pageQuerySchema;

const text = (max: number) => z.string().max(max, { error: `At most ${max} characters.` });
const fields = Object.keys(placeholderFields) as [
  keyof typeof placeholderFields,
  ...(keyof typeof placeholderFields)[],
];

/** What fills a {{n}}: a customer (or business) field with an optional fallback, or a fixed text. */
export const placeholderSourceSchema = z.union([
  z.strictObject({ field: z.enum(fields), fallback: text(200).optional() }),
  z.strictObject({ fixed: text(200) }),
]);

const buttonSchema = z.strictObject({
  type: z.enum(["QUICK_REPLY", "URL"], { error: "QUICK_REPLY or URL." }),
  text: text(25),
  url: text(2000).optional(),
});

const whatsAppShape = {
  name: text(128),
  language: text(16),
  category: z.enum(["MARKETING", "UTILITY"], { error: "MARKETING or UTILITY." }),
  headerText: text(60).nullable().optional(),
  body: text(1024),
  footerText: text(60).nullable().optional(),
  buttons: z.array(buttonSchema).max(3, { error: "At most three buttons." }).optional(),
  /** By placeholder number: `{"1": {"field": "customer.first_name", "fallback": "there"}}`. */
  placeholders: z
    .record(
      z.string().regex(/^\d{1,2}$/, { error: "Placeholder numbers: 1, 2, …" }),
      placeholderSourceSchema,
    )
    .optional(),
};

export const apiNewWhatsAppTemplateSchema = z.strictObject(whatsAppShape);
/** PATCH: the fields sent, merged over the draft's current values and checked as a whole. */
export const apiWhatsAppTemplatePatchSchema = z.strictObject(whatsAppShape).partial();
export type WhatsAppTemplateBody = z.output<typeof apiWhatsAppTemplatePatchSchema>;

export const apiNewEmailTemplateSchema = z.strictObject({
  name: text(128),
  subject: text(300),
  htmlBody: text(500_000),
});
export const apiEmailTemplatePatchSchema = apiNewEmailTemplateSchema.partial();

const statuses = ["draft", "pending", "approved", "rejected"] as const;

export const whatsAppTemplateSchema = named(
  "WhatsAppTemplate",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    language: z.string(),
    category: z.string().nullable(),
    status: z.enum(statuses),
    rejectionReason: z.string().nullable(),
    headerText: z.string().nullable(),
    body: z.string(),
    footerText: z.string().nullable(),
    buttons: z.array(buttonSchema),
    placeholders: z.record(z.string(), placeholderSourceSchema),
    providerTemplateId: z.string().nullable(),
    submittedAt: isoTime().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const emailTemplateApiSchema = named(
  "EmailTemplate",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    subject: z.string(),
    htmlBody: z.string(),
    /** The text part generated from the HTML (unfilled). */
    textBody: z.string(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const whatsAppTemplateExample = {
  id: 31,
  name: "diwali_offer",
  language: "en",
  category: "MARKETING",
  status: "draft" as const,
  rejectionReason: null,
  headerText: "Diwali sale",
  body: "Hello {{1}}, our Diwali sale starts today at {{2}}. See you there!",
  footerText: null,
  buttons: [{ type: "URL" as const, text: "Shop now", url: "https://shop.example.com" }],
  placeholders: {
    "1": { field: "customer.first_name" as const, fallback: "there" },
    "2": { field: "business.name" as const },
  },
  providerTemplateId: null,
  submittedAt: null,
  createdAt: "2026-12-01T06:00:00.000Z",
  updatedAt: "2026-12-01T06:00:00.000Z",
};

export const emailTemplateExample = {
  id: 32,
  name: "November newsletter",
  subject: "News from {{business.name}}",
  htmlBody:
    '<p>Hello {{customer.first_name}},</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
  textBody: "Hello {{customer.first_name}},\n\nUnsubscribe ({{unsubscribe_url}})",
  createdAt: "2026-12-01T06:00:00.000Z",
  updatedAt: "2026-12-01T06:00:00.000Z",
};
