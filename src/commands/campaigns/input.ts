import { z } from "zod";
import { parseIsoDate } from "../../lib/dates";
import { parseRecordId } from "../../lib/ids";
import {
  campaignChannels,
  campaignPriorities,
  campaignStatuses,
  type CampaignChannel,
  type CampaignPriority,
  type CampaignStatus,
  type ComplianceItem,
} from "../../models/Campaign";
import { isCurrency, maxAmountMinor, parseAmount } from "../deals/money";

/**
 * What a campaign's plan is made of, checked once for the form and the API. The form types money
 * as the currency shows it ("85,000"); the API sends integer minor units (budgetMinor). Absent is
 * "not given" (a PATCH), blank text is "cleared" (null). Every field's problem is reported together.
 */
export interface CampaignFields {
  name: string;
  objective: string | null;
  channel: CampaignChannel;
  audience: string | null;
  productLine: string | null;
  startsOn: string | null;
  endsOn: string | null;
  currency: string;
  budgetMinor: number | null;
  expectedSpendMinor: number | null;
  actualSpendMinor: number | null;
  plannedLeads: number | null;
  reportedLeads: number | null;
  ownerId: number | null;
  teamIds: number[];
  status: CampaignStatus;
  priority: CampaignPriority;
  compliance: ComplianceItem[];
  externalId: string | null;
  utmCampaign: string | null;
}

export type CampaignChanges = Partial<CampaignFields>;

export const campaignMessages = {
  name: "Enter the campaign's name (up to 150 characters).",
  channel: `Choose a channel: ${campaignChannels.join(", ")}.`,
  status: `Choose a status: ${campaignStatuses.join(", ")}.`,
  priority: `Choose a priority: ${campaignPriorities.join(", ")}.`,
  currency: "Enter a currency as its three-letter ISO 4217 code (INR, USD, EUR…).",
  amount: "Enter an amount such as 85000 or 1,10,000.50 (no more decimals than the currency has).",
  apiAmount: "Send a whole number of minor units (paise, cents), 0 or more, or null.",
  plannedLeads: "Enter the planned leads as a whole number from 0 to 10,000,000.",
  reportedLeads: "Enter the reported leads as a whole number from 0 to 10,000,000.",
  date: (label: string) => `Enter ${label} as YYYY-MM-DD, or leave it empty.`,
  endBeforeStart: "The end date cannot be before the start date.",
  owner: "Choose a team member.",
  team: "Choose team members of this business (at most 50).",
  compliance: "List at most 30 checklist items of up to 200 characters each.",
  nothingToChange: "Send at least one field to change.",
};

const blankToNull = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? null : value;

const text = (max: number, label: string) =>
  z.preprocess(
    blankToNull,
    z
      .string({ error: `Enter ${label} as text.` })
      .trim()
      .max(max, { error: `Keep ${label} to ${max} characters.` })
      .nullable()
      .optional(),
  );

const day = (label: string) =>
  z.preprocess(
    blankToNull,
    z
      .string({ error: campaignMessages.date(label) })
      .nullable()
      .optional()
      .transform((value, ctx) => {
        if (value === null || value === undefined) return value;
        const parsed = parseIsoDate(value.trim());
        if (!parsed) {
          ctx.addIssue({ code: "custom", message: campaignMessages.date(label) });
          return z.NEVER;
        }
        return parsed;
      }),
  );

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.enum(values, { error: message }).optional(),
  );

const name = z
  .string({ error: campaignMessages.name })
  .trim()
  .min(1, { error: campaignMessages.name })
  .max(150, { error: campaignMessages.name });

const ids = (message: string) =>
  z
    .union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])), z.null()], {
      error: message,
    })
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const raw = value === null ? [] : Array.isArray(value) ? value : [value];
      const parsed = raw.filter((v) => v !== "").map(parseRecordId);
      if (parsed.some((id) => id === null) || parsed.length > 50) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return [...new Set(parsed as number[])];
    });

/** A whole number of leads, typed with or without digit grouping; blank clears. */
const count = (message: string) =>
  z.preprocess(
    (value) => {
      if (value === "") return null;
      return typeof value === "string" && /^\d{1,8}$/.test(value.replace(/[,\s]/g, ""))
        ? Number(value.replace(/[,\s]/g, ""))
        : value;
    },
    z
      .number({ error: message })
      .int({ error: message })
      .min(0, { error: message })
      .max(10_000_000, { error: message })
      .nullable()
      .optional(),
  );

/** Fields shared by the form and the API. */
function commonShape() {
  return {
    name: z.preprocess(blankToNull, name.optional()),
    objective: text(500, "the objective"),
    channel: choice(campaignChannels, campaignMessages.channel),
    audience: text(500, "the audience"),
    productLine: text(150, "the product line"),
    startsOn: day("the start date"),
    endsOn: day("the end date"),
    currency: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z
        .string({ error: campaignMessages.currency })
        .trim()
        .transform((value, ctx) => {
          const code = value.toUpperCase();
          if (!isCurrency(code)) {
            ctx.addIssue({ code: "custom", message: campaignMessages.currency });
            return z.NEVER;
          }
          return code;
        })
        .optional(),
    ),
    plannedLeads: count(campaignMessages.plannedLeads),
    reportedLeads: count(campaignMessages.reportedLeads),
    ownerId: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined;
        if (value === null || value === "") return null;
        const id = parseRecordId(value);
        if (id === null) {
          ctx.addIssue({ code: "custom", message: campaignMessages.owner });
          return z.NEVER;
        }
        return id;
      }),
    teamIds: ids(campaignMessages.team),
    status: choice(campaignStatuses, campaignMessages.status),
    priority: choice(campaignPriorities, campaignMessages.priority),
    externalId: text(191, "the external id"),
    utmCampaign: text(191, "utm_campaign"),
  };
}

const complianceOk = (items: ComplianceItem[]) =>
  items.length <= 30 && items.every((item) => item.label.length <= 200);

/** The form's checklist: rows of label inputs, and the row numbers whose box is ticked. */
const formCompliance = {
  complianceLabel: z
    .union([z.string(), z.array(z.string())], { error: campaignMessages.compliance })
    .optional(),
  complianceDone: z
    .union([z.string(), z.array(z.string())], { error: campaignMessages.compliance })
    .optional(),
};

/** Checked on its own (so its error shows with the others); converted with the currency after. */
const moneyText = z.preprocess(
  blankToNull,
  z
    .string({ error: campaignMessages.amount })
    .trim()
    .max(30, { error: campaignMessages.amount })
    .regex(/^\d[\d,\s_]*(\.\d{0,3})?$/, { error: campaignMessages.amount })
    .nullable()
    .optional(),
);

const apiMoney = z
  .number({ error: campaignMessages.apiAmount })
  .int({ error: campaignMessages.apiAmount })
  .min(0, { error: campaignMessages.apiAmount })
  .max(maxAmountMinor, { error: campaignMessages.apiAmount })
  .nullable()
  .optional();

type Common = z.output<z.ZodObject<ReturnType<typeof commonShape>>>;

/** Drops what was not given, so a PATCH changes only what it names. */
function given(values: Record<string, unknown>): CampaignChanges {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) changes[key] = value;
  return changes as CampaignChanges;
}

function checkDates(
  value: { startsOn?: string | null; endsOn?: string | null },
  ctx: z.RefinementCtx,
) {
  if (value.startsOn && value.endsOn && value.endsOn < value.startsOn)
    ctx.addIssue({ code: "custom", path: ["endsOn"], message: campaignMessages.endBeforeStart });
}

/**
 * The new/edit form. Money is read in the currency chosen on the same form (or `fallbackCurrency`,
 * the business's); the checklist from its rows. The form sends every field, so it is complete.
 */
export function campaignFormSchema(fallbackCurrency: string) {
  return z
    .object({
      ...commonShape(),
      name: z.preprocess(blankToNull, name),
      budget: moneyText,
      expectedSpend: moneyText,
      actualSpend: moneyText,
      ...formCompliance,
    })
    .transform((value, ctx) => {
      checkDates(value, ctx);
      const currency = value.currency ?? fallbackCurrency;
      const money = (field: "budget" | "expectedSpend" | "actualSpend") => {
        const typed = value[field];
        if (typed === null || typed === undefined) return null;
        const minor = parseAmount(typed, currency);
        if (minor === null)
          ctx.addIssue({ code: "custom", path: [field], message: campaignMessages.amount });
        return minor;
      };
      const labels = [value.complianceLabel ?? []].flat();
      const done = new Set([value.complianceDone ?? []].flat());
      const compliance = labels
        .map((label, index) => ({ label: label.trim(), done: done.has(String(index)) }))
        .filter((item) => item.label !== "");
      if (!complianceOk(compliance))
        ctx.addIssue({
          code: "custom",
          path: ["compliance"],
          message: campaignMessages.compliance,
        });
      const {
        budget: _b,
        expectedSpend: _e,
        actualSpend: _a,
        complianceLabel: _l,
        complianceDone: _d,
        ...rest
      } = value;
      return {
        ...given(rest as Common),
        currency,
        budgetMinor: money("budget"),
        expectedSpendMinor: money("expectedSpend"),
        actualSpendMinor: money("actualSpend"),
        compliance,
        teamIds: rest.teamIds ?? [],
      } satisfies CampaignChanges;
    });
}

const apiCompliance = z
  .array(
    z.strictObject({
      label: z.string({ error: campaignMessages.compliance }).trim().min(1).max(200),
      done: z.boolean({ error: campaignMessages.compliance }),
    }),
    { error: campaignMessages.compliance },
  )
  .max(30, { error: campaignMessages.compliance })
  .nullable()
  .optional()
  .transform((value) => (value === null ? [] : value));

function apiShape() {
  return {
    ...commonShape(),
    budgetMinor: apiMoney,
    expectedSpendMinor: apiMoney,
    actualSpendMinor: apiMoney,
    compliance: apiCompliance,
  };
}

/** POST /api/v1/campaigns: a name at least; the rest takes its defaults. */
export const apiNewCampaignSchema = z
  .strictObject({ ...apiShape(), name: z.preprocess(blankToNull, name) })
  .superRefine(checkDates)
  .transform((value) => given(value));

/** PATCH /api/v1/campaigns/:campaignId: any of the fields, at least one. */
export const apiCampaignPatchSchema = z
  .strictObject(apiShape())
  .superRefine(checkDates)
  .refine((value) => Object.values(value).some((v) => v !== undefined), {
    error: campaignMessages.nothingToChange,
  })
  .transform((value) => given(value));

/** A campaign's fields with everything not given at its default. */
export function completeCampaign(changes: CampaignChanges, currency: string): CampaignFields {
  return {
    name: changes.name ?? "",
    objective: changes.objective ?? null,
    channel: changes.channel ?? "other",
    audience: changes.audience ?? null,
    productLine: changes.productLine ?? null,
    startsOn: changes.startsOn ?? null,
    endsOn: changes.endsOn ?? null,
    currency: changes.currency ?? currency,
    budgetMinor: changes.budgetMinor ?? null,
    expectedSpendMinor: changes.expectedSpendMinor ?? null,
    actualSpendMinor: changes.actualSpendMinor ?? null,
    plannedLeads: changes.plannedLeads ?? null,
    reportedLeads: changes.reportedLeads ?? null,
    ownerId: changes.ownerId ?? null,
    teamIds: changes.teamIds ?? [],
    status: changes.status ?? "planned",
    priority: changes.priority ?? "medium",
    compliance: changes.compliance ?? [],
    externalId: changes.externalId ?? null,
    utmCampaign: changes.utmCampaign ?? null,
  };
}
