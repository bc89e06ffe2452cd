import { z } from "zod";
import { idParams } from "../../http/params";
import { maxLeadNoteLength } from "../../commands/leads/notes";
import {
  maxNurtureLeads,
  maxNurtureSteps,
  nurtureKinds,
  type NurtureKind,
} from "../../commands/leads/nurture";

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const messages = {
  note: "Write something in the note.",
  noteLong: `Keep a note under ${maxLeadNoteLength} characters.`,
  taskTitle: "Enter what to do (up to 200 characters).",
  due: "Enter the due date and time, or leave it empty.",
  dealTitle: "Enter the deal's title (up to 200 characters).",
  amount: "Enter an amount such as 150000 or 1,50,000.50.",
  currency: "Enter a currency as its three-letter code (INR, USD, EUR…).",
  stage: "Choose a pipeline stage for the deal.",
  leads: "Select at least one lead (tick the boxes on the list).",
  steps: `Keep 1 to ${maxNurtureSteps} steps, each with a day from 0 to 365, a kind and a title.`,
  stageName: "Enter a stage name of up to 60 characters.",
  code: "Choose one of the stages.",
};

export const leadNoteParams = idParams("leadId", "noteId");

export const leadNoteSchema = z.object({
  body: z
    .string({ error: messages.note })
    .trim()
    .min(1, messages.note)
    .max(maxLeadNoteLength, messages.noteLong),
});

/** The lead page's small task form: what, and when (the business's local time). */
export const leadTaskSchema = z.object({
  title: z
    .string({ error: messages.taskTitle })
    .trim()
    .min(1, messages.taskTitle)
    .max(200, messages.taskTitle),
  dueAt: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, messages.due)
      .optional(),
  ),
});

/** POST /leads/:leadId/convert: the deal's title, amount as typed, currency and stage. */
export const convertSchema = z.object({
  title: z
    .string({ error: messages.dealTitle })
    .trim()
    .min(1, messages.dealTitle)
    .max(200, messages.dealTitle),
  amount: z.preprocess(blank, z.string().trim().max(30, messages.amount).optional()),
  currency: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, messages.currency)
      .transform((v) => v.toUpperCase())
      .optional(),
  ),
  stageId: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{1,10}$/, messages.stage)
      .transform(Number)
      .optional(),
  ),
});

const leadIds = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z
    .array(
      z
        .string()
        .regex(/^\d{1,10}$/, messages.leads)
        .transform(Number),
      { error: messages.leads },
    )
    .min(1, messages.leads)
    .max(maxNurtureLeads, `Select at most ${maxNurtureLeads} leads at a time.`),
);

/** GET /leads/nurture?leadIds=…: the chosen leads, the sequence form after them. */
export const nurtureSelectSchema = z.object({ leadIds });

const column = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string(), { error: messages.steps }).max(maxNurtureSteps, messages.steps),
);

/**
 * The sequence form (and its confirmation, which carries it in hidden fields): one row per step as
 * repeated stepDay/stepKind/stepTitle fields; rows left empty are dropped, half-filled rows are a
 * field error. The run key makes a repeated post of the confirmation harmless.
 */
export const nurtureRunSchema = z
  .object({
    leadIds,
    stepDay: column,
    stepKind: column,
    stepTitle: column,
    runKey: z
      .preprocess(
        blank,
        z
          .string()
          .regex(/^[0-9a-f]{16}$/)
          .optional(),
      )
      .catch(undefined),
    confirm: z.preprocess(blank, z.literal("yes").optional()).catch(undefined),
  })
  .transform((form, ctx) => {
    const steps: Array<{ day: number; kind: NurtureKind; title: string }> = [];
    const rows = Math.max(form.stepDay.length, form.stepKind.length, form.stepTitle.length);
    for (let i = 0; i < rows; i++) {
      const day = form.stepDay[i]?.trim() ?? "";
      const kind = form.stepKind[i]?.trim() ?? "";
      const title = form.stepTitle[i]?.trim() ?? "";
      if (!day && !title) continue;
      if (
        !/^\d{1,3}$/.test(day) ||
        !(nurtureKinds as readonly string[]).includes(kind) ||
        !title ||
        title.length > 120
      ) {
        ctx.addIssue({ code: "custom", message: messages.steps, path: ["steps"] });
        return z.NEVER;
      }
      steps.push({ day: Number(day), kind: kind as NurtureKind, title });
    }
    if (steps.length === 0) {
      ctx.addIssue({ code: "custom", message: messages.steps, path: ["steps"] });
      return z.NEVER;
    }
    return { leadIds: form.leadIds, steps, runKey: form.runKey, confirm: form.confirm };
  });

export const stageNameSchema = z.object({
  name: z
    .string({ error: messages.stageName })
    .trim()
    .min(1, messages.stageName)
    .max(60, messages.stageName),
});

export const stageCodeParams = z.object({
  code: z.string().regex(/^[a-z0-9_]{1,16}$/, messages.code),
});

export const stageMoveSchema = z.object({ direction: z.enum(["up", "down"]) });

export const stageRemoveSchema = z.object({
  moveTo: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z0-9_]{1,16}$/, messages.code)
      .optional(),
  ),
});
