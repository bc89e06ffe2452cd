import { z } from "zod";
import { maxNurtureLeads, maxNurtureSteps, nurtureKinds } from "../../commands/leads/nurture";
import { maxLeadNoteLength } from "../../commands/leads/notes";
import { isoTime, named } from "../../http/apiResponse";
import { pageQuerySchema } from "../../http/pagination";

/** The lead API's work: notes, timeline, stage moves, nurture and conversion (issue 12, item 11). */

export const apiNoteListSchema = pageQuerySchema;
export const apiEventListSchema = pageQuerySchema;

export const apiNoteBodySchema = z.strictObject({
  body: z
    .string({ error: "Write the note's text." })
    .trim()
    .min(1, "Write the note's text.")
    .max(maxLeadNoteLength, `Keep a note under ${maxLeadNoteLength} characters.`),
});

export const apiStageMoveSchema = z.strictObject({
  stage: z
    .string({ error: "Choose one of the business's lead stages by code." })
    .regex(/^[a-z0-9_]{1,16}$/, "Choose one of the business's lead stages by code."),
  statusReason: z.string().trim().max(200, "Keep the reason to 200 characters.").optional(),
});

export const apiNurtureSchema = z.strictObject({
  leadIds: z
    .array(z.number().int().positive(), { error: "Give the leads' ids." })
    .min(1, "Give at least one lead.")
    .max(maxNurtureLeads, `At most ${maxNurtureLeads} leads at a time.`),
  steps: z
    .array(
      z.strictObject({
        day: z.number().int().min(0).max(365),
        kind: z.enum(nurtureKinds),
        title: z.string().trim().min(1).max(120),
      }),
    )
    .min(1)
    .max(maxNurtureSteps)
    .optional(),
  /** 16 hex digits; the same key again creates nothing more (a retried request). */
  runKey: z
    .string()
    .regex(/^[0-9a-f]{16}$/, "runKey is 16 hexadecimal digits.")
    .optional(),
});

export const apiConvertSchema = z.strictObject({
  title: z.string({ error: "Give the deal a title." }).trim().min(1).max(200),
  /** Integer minor units (paise). */
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, "A three-letter currency code.")
    .transform((v) => v.toUpperCase())
    .optional(),
  pipelineId: z.number().int().positive().optional(),
  stageId: z.number().int().positive().optional(),
});

const person = z.strictObject({ id: z.number().int(), name: z.string() }).nullable();

export const leadNoteSchema = named(
  "LeadNote",
  z.strictObject({
    id: z.number().int(),
    leadId: z.number().int(),
    body: z.string(),
    author: person,
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const leadEventSchema = named(
  "LeadEvent",
  z.strictObject({
    id: z.number().int(),
    leadId: z.number().int(),
    kind: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
    actor: person,
    createdAt: isoTime(),
  }),
);

export const nurtureResultSchema = named(
  "NurtureResult",
  z.strictObject({
    runKey: z.string(),
    created: z.number().int(),
    skipped: z.number().int(),
    leads: z.number().int(),
  }),
);

export const conversionSchema = named(
  "LeadConversion",
  z.strictObject({
    leadId: z.number().int(),
    customerId: z.number().int(),
    dealId: z.number().int(),
    matched: z.boolean(),
  }),
);

export const noteExample = {
  id: 7,
  leadId: 31,
  body: "Asked for the price list; call back Friday.",
  author: { id: 2, name: "Asha" },
  createdAt: "2026-12-01T10:00:00.000Z",
  updatedAt: "2026-12-01T10:00:00.000Z",
};

export const eventExample = {
  id: 90,
  leadId: 31,
  kind: "stage_changed",
  details: { from: "new", to: "contacted" },
  actor: { id: 2, name: "Asha" },
  createdAt: "2026-12-01T10:05:00.000Z",
};
