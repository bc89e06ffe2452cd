import { z } from "zod";
import { pageQuerySchema } from "../../http/pagination";
import { idField } from "../../http/params";
import { consentRules } from "../../models/Campaign";
import { recipientStatuses } from "../../models/CampaignRecipient";

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const asList = (value: unknown) =>
  value === undefined || value === "" ? [] : Array.isArray(value) ? value : [value];

const messages = {
  channel: "Choose WhatsApp or e-mail.",
  template: "Choose a template.",
  audience: "Choose everyone, a segment or tags.",
  segment: "Choose a segment.",
  tags: "Choose at least one tag.",
  consent: "Choose who may receive it.",
  when: "Choose now, or a date and time.",
  at: "Enter the date and time as YYYY-MM-DDTHH:MM.",
};

/** The wizard's settings form (channel, template, audience, consent rule). */
export const sendSettingsSchema = z
  .object({
    channel: z.enum(["whatsapp", "email"], { error: messages.channel }),
    templateId: idField(messages.template),
    audienceKind: z.enum(["all", "segment", "tags"], { error: messages.audience }),
    segmentId: z.preprocess(blank, idField(messages.segment).optional()),
    tagIds: z.preprocess(asList, z.array(idField(messages.tags)).max(50)),
    consentRule: z.enum(consentRules, { error: messages.consent }),
  })
  .superRefine((v, ctx) => {
    if (v.audienceKind === "segment" && !v.segmentId)
      ctx.addIssue({ code: "custom", path: ["segmentId"], message: messages.segment });
    if (v.audienceKind === "tags" && v.tagIds.length === 0)
      ctx.addIssue({ code: "custom", path: ["tagIds"], message: messages.tags });
  });

/** The wizard's last step: now, or a local date-time in the business's zone. */
export const sendStartSchema = z
  .object({
    when: z.enum(["now", "later"], { error: messages.when }),
    at: z.preprocess(
      blank,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, messages.at)
        .optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.when === "later" && !v.at)
      ctx.addIssue({ code: "custom", path: ["at"], message: messages.at });
  });

/** POST /api/v1/campaigns/:id/send: `at` (ISO 8601 with zone) schedules; none sends now. */
export const apiSendSchema = z.object({
  at: z.iso.datetime({ offset: true, error: "Send `at` as ISO 8601 with a zone." }).optional(),
});

export const recipientQuerySchema = pageQuerySchema.extend({
  status: z.preprocess(blank, z.enum(recipientStatuses).optional()),
});

export const deliveryQuerySchema = z.object({
  status: z.preprocess(blank, z.enum(recipientStatuses).optional()).catch(undefined),
  after: z.preprocess(blank, z.coerce.number().int().positive().optional()).catch(undefined),
});

export const recipientSchema = z.object({
  id: z.number(),
  customerId: z.number(),
  customerName: z.string(),
  address: z.string(),
  status: z.enum(recipientStatuses),
  errorCode: z.string().nullable(),
  errorReason: z.string().nullable(),
  attempts: z.number(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
});

export const sendStateSchema = z.object({
  id: z.number(),
  sendState: z.string(),
  scheduledAt: z.string().nullable(),
  pausedReason: z.string().nullable(),
  resumeAt: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
});
