import { z } from "zod";
import { leadPatchSchema, newLeadSchema } from "../../commands/leads/input";
import { isoTime, named } from "../../http/apiResponse";
import { pageQuerySchema } from "../../http/pagination";
import { idField, idParams } from "../../http/params";
import { leadTemperatures } from "../../models/Lead";
import type { TenantContext } from "../../tenancy/context";

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const messages = {
  stage:
    "Choose one of the business's lead stages (new, contacted, qualified, lost, converted or a custom stage's code).",
  temperature: "Choose a temperature: hot, warm or cold.",
  owner: 'Choose a member by id, or "none".',
  source: "Keep the source to 60 characters.",
  search: "Search for a name, company, e-mail or phone (up to 100 characters).",
};

/** The list's filters, as query parameters of the page, the board and the API alike. */
export const leadFilterShape = {
  stage: z.preprocess(
    blank,
    z
      .string({ error: messages.stage })
      .regex(/^[a-z0-9_]{1,16}$/, messages.stage)
      .optional(),
  ),
  temperature: z.preprocess(
    blank,
    z.enum(leadTemperatures, { error: messages.temperature }).optional(),
  ),
  ownerId: z.preprocess(
    blank,
    z.union([z.literal("none"), idField(messages.owner)], { error: messages.owner }).optional(),
  ),
  source: z.preprocess(blank, z.string().trim().max(60, messages.source).optional()),
  q: z.preprocess(blank, z.string().trim().max(100, messages.search).optional()),
};

/** GET /leads and /leads/board: the filters, and the page's position (id of the last row seen). */
export const leadFilterSchema = z.object({
  ...leadFilterShape,
  before: z.preprocess(blank, idField().optional()).catch(undefined),
});

/** GET /api/v1/leads: the filters, paged by the API's cursor. */
export const apiLeadListSchema = pageQuerySchema.extend(leadFilterShape);

export const leadParams = idParams("leadId");

/** The new/edit form: the fields as typed (phone read with the business's country). */
export const leadFormSchema = (ctx: TenantContext) => newLeadSchema(ctx.business.country, false);
export const apiCreateLeadSchema = (ctx: TenantContext) =>
  newLeadSchema(ctx.business.country, true);
export const apiUpdateLeadSchema = (ctx: TenantContext) => leadPatchSchema(ctx.business.country);

/** POST /leads/:leadId/stage: the Kanban's and the lead page's move. */
export const stageFormSchema = z.object({
  stage: z.string({ error: messages.stage }).regex(/^[a-z0-9_]{1,16}$/, messages.stage),
  from: z.enum(["board", "lead"]).catch("lead"),
});

const person = z.strictObject({ id: z.number().int(), name: z.string() }).nullable();

/** One lead as the API answers it (presenters/leads.ts presentLead). */
export const leadSchema = named(
  "Lead",
  z.strictObject({
    id: z.number().int(),
    firstName: z.string(),
    lastName: z.string().nullable(),
    company: z.string().nullable(),
    jobTitle: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    location: z.string().nullable(),
    industry: z.string().nullable(),
    source: z.string().nullable(),
    campaignName: z.string().nullable(),
    // The business's stage code (built in: new, contacted, qualified, lost, converted; custom: c…).
    stage: z.string(),
    score: z.number().int().min(0).max(100),
    temperature: z.enum(leadTemperatures),
    statusReason: z.string().nullable(),
    ownerId: z.number().int().nullable(),
    owner: person,
    lastContactedAt: isoTime().nullable(),
    nextAction: z.string().nullable(),
    nextActionOn: z.iso.date().nullable(),
    bantBudget: z.boolean(),
    bantAuthority: z.boolean(),
    bantNeed: z.boolean(),
    bantTimeline: z.boolean(),
    interestedProducts: z.array(z.string()),
    consentEmail: z.boolean(),
    consentEmailAt: isoTime().nullable(),
    consentWhatsapp: z.boolean(),
    consentWhatsappAt: isoTime().nullable(),
    utmSource: z.string().nullable(),
    utmMedium: z.string().nullable(),
    utmCampaign: z.string().nullable(),
    utmTerm: z.string().nullable(),
    utmContent: z.string().nullable(),
    referrer: z.string().nullable(),
    landingPage: z.string().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const leadExample: z.input<typeof leadSchema> = {
  id: 31,
  firstName: "Rahul",
  lastName: "Goyal",
  company: "RetailWorks",
  jobTitle: "Head of Stores",
  email: "rahul@retailworks.in",
  phone: "+919811022345",
  location: "Delhi",
  industry: "Retail",
  source: "Referral",
  campaignName: "Festive Cashback Promo",
  stage: "qualified",
  score: 72,
  temperature: "hot",
  statusReason: null,
  ownerId: 3,
  owner: { id: 3, name: "Asha Rao" },
  lastContactedAt: "2026-12-01T10:00:00.000Z",
  nextAction: "Send the pricing sheet",
  nextActionOn: "2026-12-03",
  bantBudget: true,
  bantAuthority: true,
  bantNeed: true,
  bantTimeline: false,
  interestedProducts: ["POS", "Loyalty"],
  consentEmail: true,
  consentEmailAt: "2026-11-30T09:00:00.000Z",
  consentWhatsapp: false,
  consentWhatsappAt: null,
  utmSource: "newsletter",
  utmMedium: "email",
  utmCampaign: "festive-cashback",
  utmTerm: null,
  utmContent: null,
  referrer: null,
  landingPage: "https://example.com/offer",
  createdAt: "2026-11-30T09:00:00.000Z",
  updatedAt: "2026-12-01T10:00:00.000Z",
};

/** For the API document: the fields a body may carry (the real schema depends on the business). */
export const leadBodyDoc = newLeadSchema("IN", true).in;
export const leadPatchDoc = leadPatchSchema("IN").in;
