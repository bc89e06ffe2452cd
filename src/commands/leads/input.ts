import { z } from "zod";
import { parseIsoDate } from "../../lib/dates";
import { parseRecordId } from "../../lib/ids";
import { toE164 } from "../../lib/phone";
import { leadStages, type LeadStage } from "../../models/Lead";

/**
 * What a lead is made of, checked once for the form and the API: every field optional here (a
 * PATCH sends some), blank text is "cleared" (null), absent is "not given" (undefined). The phone
 * is read with the business's country as default and kept in E.164. Every field's problem is
 * reported together.
 */
export interface LeadFields {
  firstName: string;
  lastName: string | null;
  company: string | null;
  jobTitle: string | null;
  email: string | null;
  phoneE164: string | null;
  location: string | null;
  industry: string | null;
  source: string | null;
  campaignName: string | null;
  stage: LeadStage;
  score: number;
  statusReason: string | null;
  ownerId: number | null;
  lastContactedAt: Date | null;
  nextAction: string | null;
  nextActionOn: string | null;
  bantBudget: boolean;
  bantAuthority: boolean;
  bantNeed: boolean;
  bantTimeline: boolean;
  interestedProducts: string[];
  consentEmail: boolean;
  consentWhatsapp: boolean;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  referrer: string | null;
  landingPage: string | null;
}

/** The owner choice "Automatic (round-robin)": the next available member in turn (roundRobin.ts). */
export const autoOwner = "auto" as const;

export type LeadChanges = Partial<Omit<LeadFields, "ownerId">> & {
  ownerId?: number | null | typeof autoOwner;
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

const flag = (label: string) =>
  z.preprocess(
    (value) => {
      if (value === "on" || value === "true" || value === "1") return true;
      if (value === "false" || value === "0" || value === "") return false;
      return value;
    },
    z.boolean({ error: `Send ${label} as true or false.` }).optional(),
  );

const emailCheck = z.email();
const maxProducts = 20;

export const leadMessages = {
  firstName: "Enter the lead's first name.",
  email: "Enter a valid e-mail address.",
  phone: "Enter a valid phone number.",
  stage: `Choose a stage: ${leadStages.join(", ")}.`,
  score: "Enter a score from 0 to 100.",
  owner: "Choose a team member.",
  date: (label: string) => `Enter ${label} as YYYY-MM-DD.`,
  products: `List at most ${maxProducts} products of up to 100 characters each.`,
};

/** The fields of a lead, each optional; `leadFormSchema`/`apiLeadSchemas` decide what is required. */
const firstName = z
  .string({ error: leadMessages.firstName })
  .trim()
  .min(1, { error: leadMessages.firstName })
  .max(100, { error: "Keep the first name to 100 characters." });

/** The fields of a lead, each optional; `newLeadSchema`/`leadPatchSchema` decide what is required. */
export function leadShape(country: string) {
  return {
    firstName: z.preprocess(blankToNull, firstName.optional()),
    lastName: text(100, "the last name"),
    company: text(150, "the company"),
    jobTitle: text(100, "the job title"),
    email: text(191, "the e-mail").transform((value, ctx) => {
      if (value === null || value === undefined) return value;
      const email = value.toLowerCase();
      if (!emailCheck.safeParse(email).success) {
        ctx.addIssue({ code: "custom", message: leadMessages.email });
        return z.NEVER;
      }
      return email;
    }),
    phone: text(40, "the phone number").transform((value, ctx) => {
      if (value === null || value === undefined) return value;
      const e164 = toE164(value, country);
      if (!e164) {
        ctx.addIssue({ code: "custom", message: leadMessages.phone });
        return z.NEVER;
      }
      return e164;
    }),
    location: text(150, "the location"),
    industry: text(100, "the industry"),
    source: text(60, "the source"),
    campaignName: text(150, "the campaign"),
    // A stage code of the business (stages.ts): the routes check it against the business's list.
    stage: z.preprocess(
      (value) => (value === "" ? undefined : value),
      z
        .string({ error: leadMessages.stage })
        .regex(/^[a-z0-9_]{1,16}$/, { error: leadMessages.stage })
        .transform((code) => code as LeadStage)
        .optional(),
    ),
    score: z.preprocess(
      (value) => {
        if (value === "") return undefined;
        return typeof value === "string" && /^\d{1,3}$/.test(value.trim())
          ? Number(value.trim())
          : value;
      },
      z
        .number({ error: leadMessages.score })
        .int({ error: leadMessages.score })
        .min(0, { error: leadMessages.score })
        .max(100, { error: leadMessages.score })
        .optional(),
    ),
    statusReason: text(200, "the status reason"),
    ownerId: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined;
        if (value === null || value === "") return null;
        if (value === autoOwner) return autoOwner;
        const id = parseRecordId(value);
        if (id === null) {
          ctx.addIssue({ code: "custom", message: leadMessages.owner });
          return z.NEVER;
        }
        return id;
      }),
    lastContactedAt: text(40, "the last contact").transform((value, ctx) => {
      if (value === null || value === undefined) return value;
      const day = parseIsoDate(value.slice(0, 10));
      const time =
        value.length > 10 ? Date.parse(value) : day ? Date.parse(`${day}T00:00:00Z`) : NaN;
      if (!day || Number.isNaN(time)) {
        ctx.addIssue({ code: "custom", message: leadMessages.date("the last contact") });
        return z.NEVER;
      }
      return new Date(time);
    }),
    nextAction: text(200, "the next action"),
    nextActionOn: text(10, "the next action's date").transform((value, ctx) => {
      if (value === null || value === undefined) return value;
      const day = parseIsoDate(value);
      if (!day) {
        ctx.addIssue({ code: "custom", message: leadMessages.date("the next action's date") });
        return z.NEVER;
      }
      return day;
    }),
    bantBudget: flag("budget"),
    bantAuthority: flag("authority"),
    bantNeed: flag("need"),
    bantTimeline: flag("timeline"),
    interestedProducts: z
      .union([z.string(), z.array(z.string()), z.null()], { error: leadMessages.products })
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return undefined;
        const raw = value === null ? [] : Array.isArray(value) ? value : value.split(",");
        const names = [...new Set(raw.map((name) => name.trim()).filter(Boolean))];
        if (names.length > maxProducts || names.some((name) => name.length > 100)) {
          ctx.addIssue({ code: "custom", message: leadMessages.products });
          return z.NEVER;
        }
        return names;
      }),
    consentEmail: flag("e-mail consent"),
    consentWhatsapp: flag("WhatsApp consent"),
    utmSource: text(191, "utm_source"),
    utmMedium: text(191, "utm_medium"),
    utmCampaign: text(191, "utm_campaign"),
    utmTerm: text(191, "utm_term"),
    utmContent: text(191, "utm_content"),
    referrer: text(500, "the referrer"),
    landingPage: text(500, "the landing page"),
  };
}

type ShapeOutput = z.output<z.ZodObject<ReturnType<typeof leadShape>>>;

/** The parsed fields as a command's changes: `phone` becomes `phoneE164`, absent stays absent. */
export function toChanges(parsed: ShapeOutput): LeadChanges {
  const { phone, ...rest } = parsed;
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) changes[key] = value;
  if (phone !== undefined) changes.phoneE164 = phone;
  return changes as LeadChanges;
}

/** A lead's fields with everything not given at its default: a new lead, or a full form. */
export function completeFields(changes: LeadChanges): LeadFields {
  return {
    firstName: changes.firstName ?? "",
    lastName: changes.lastName ?? null,
    company: changes.company ?? null,
    jobTitle: changes.jobTitle ?? null,
    email: changes.email ?? null,
    phoneE164: changes.phoneE164 ?? null,
    location: changes.location ?? null,
    industry: changes.industry ?? null,
    source: changes.source ?? null,
    campaignName: changes.campaignName ?? null,
    stage: changes.stage ?? "new",
    score: changes.score ?? 0,
    statusReason: changes.statusReason ?? null,
    ownerId: changes.ownerId === autoOwner ? null : (changes.ownerId ?? null),
    lastContactedAt: changes.lastContactedAt ?? null,
    nextAction: changes.nextAction ?? null,
    nextActionOn: changes.nextActionOn ?? null,
    bantBudget: changes.bantBudget ?? false,
    bantAuthority: changes.bantAuthority ?? false,
    bantNeed: changes.bantNeed ?? false,
    bantTimeline: changes.bantTimeline ?? false,
    interestedProducts: changes.interestedProducts ?? [],
    consentEmail: changes.consentEmail ?? false,
    consentWhatsapp: changes.consentWhatsapp ?? false,
    utmSource: changes.utmSource ?? null,
    utmMedium: changes.utmMedium ?? null,
    utmCampaign: changes.utmCampaign ?? null,
    utmTerm: changes.utmTerm ?? null,
    utmContent: changes.utmContent ?? null,
    referrer: changes.referrer ?? null,
    landingPage: changes.landingPage ?? null,
  };
}

/** The form and POST /api/v1/leads: a first name at least. */
export function newLeadSchema(country: string, strict: boolean) {
  // Required here: absent or blank is the same "Enter the lead's first name."
  const withName = { ...leadShape(country), firstName: z.preprocess(blankToNull, firstName) };
  return (strict ? z.strictObject(withName) : z.object(withName)).transform(toChanges);
}

/** PATCH /api/v1/leads/:leadId: any of the fields, at least one. */
export function leadPatchSchema(country: string) {
  return z
    .strictObject(leadShape(country))
    .refine((value) => Object.values(value).some((v) => v !== undefined), {
      error: "Send at least one field to change.",
    })
    .transform(toChanges);
}
