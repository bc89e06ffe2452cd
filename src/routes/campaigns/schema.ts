import { z } from "zod";
import {
  apiCampaignPatchSchema,
  apiNewCampaignSchema,
  campaignFormSchema,
} from "../../commands/campaigns/input";
import { defaultCurrency } from "../../commands/deals/input";
import { isoTime, named } from "../../http/apiResponse";
import { pageQuerySchema } from "../../http/pagination";
import { idField, idParams } from "../../http/params";
import { campaignChannels, campaignPriorities, campaignStatuses } from "../../models/Campaign";
import type { TenantContext } from "../../tenancy/context";

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const messages = {
  status: `Choose a status: ${campaignStatuses.join(", ")}.`,
  channel: `Choose a channel: ${campaignChannels.join(", ")}.`,
  owner: 'Choose a member by id, or "none".',
  search: "Search for the start of a campaign's name (up to 100 characters).",
};

/** The list's filters, as query parameters of the page and the API alike. */
export const campaignFilterShape = {
  status: z.preprocess(blank, z.enum(campaignStatuses, { error: messages.status }).optional()),
  channel: z.preprocess(blank, z.enum(campaignChannels, { error: messages.channel }).optional()),
  ownerId: z.preprocess(
    blank,
    z.union([z.literal("none"), idField(messages.owner)], { error: messages.owner }).optional(),
  ),
  q: z.preprocess(blank, z.string().trim().max(100, messages.search).optional()),
};

export const campaignFilterSchema = z.object({
  ...campaignFilterShape,
  before: z.preprocess(blank, idField().optional()).catch(undefined),
});

export const apiCampaignListSchema = pageQuerySchema.extend(campaignFilterShape);

export const campaignParams = idParams("campaignId");

/** The new/edit form; money is read in the form's currency, else the business's. */
export const campaignFormFor = (ctx: TenantContext) => campaignFormSchema(defaultCurrency(ctx));
export const apiCreateCampaignSchema = apiNewCampaignSchema;
export const apiUpdateCampaignSchema = apiCampaignPatchSchema;

const person = z.strictObject({ id: z.number().int(), name: z.string() }).nullable();

/** One campaign as the API answers it (presenters/campaigns.ts presentCampaign). */
export const campaignSchema = named(
  "Campaign",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    objective: z.string().nullable(),
    channel: z.enum(campaignChannels),
    audience: z.string().nullable(),
    productLine: z.string().nullable(),
    startsOn: z.iso.date().nullable(),
    endsOn: z.iso.date().nullable(),
    currency: z.string().length(3),
    budgetMinor: z.number().int().nullable(),
    expectedSpendMinor: z.number().int().nullable(),
    actualSpendMinor: z.number().int().nullable(),
    plannedLeads: z.number().int().nullable(),
    reportedLeads: z.number().int().nullable(),
    ownerId: z.number().int().nullable(),
    owner: person,
    teamIds: z.array(z.number().int()),
    status: z.enum(campaignStatuses),
    priority: z.enum(campaignPriorities),
    compliance: z.array(z.strictObject({ label: z.string(), done: z.boolean() })),
    externalId: z.string().nullable(),
    utmCampaign: z.string().nullable(),
    results: z.strictObject({
      generatedLeads: z.number().int(),
      wonDeals: z.number().int(),
      attributedRevenueMinor: z.number().int(),
      otherCurrencyWonDeals: z.number().int(),
      roi: z.number().nullable(),
      costPerLeadMinor: z.number().int().nullable(),
    }),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const campaignExample: z.input<typeof campaignSchema> = {
  id: 12,
  name: "Launch Sprint 2025",
  objective: "Promote new product features",
  channel: "paid_ads",
  audience: "Retail owners in Pune and Mumbai",
  productLine: "POS",
  startsOn: "2025-04-01",
  endsOn: "2025-04-30",
  currency: "INR",
  budgetMinor: 8_500_000,
  expectedSpendMinor: 8_000_000,
  actualSpendMinor: 6_000_000,
  plannedLeads: 300,
  reportedLeads: null,
  ownerId: 3,
  owner: { id: 3, name: "Asha Rao" },
  teamIds: [3, 7],
  status: "active",
  priority: "high",
  compliance: [{ label: "Consent text approved", done: true }],
  externalId: "gads-4411",
  utmCampaign: "launch-sprint-2025",
  results: {
    generatedLeads: 120,
    wonDeals: 4,
    attributedRevenueMinor: 24_000_000,
    otherCurrencyWonDeals: 0,
    roi: 3,
    costPerLeadMinor: 50_000,
  },
  createdAt: "2025-03-20T09:00:00.000Z",
  updatedAt: "2025-04-10T10:00:00.000Z",
};
