import { z } from "zod";
import { idParams } from "../../http/params";

const text = z.preprocess((v) => (v === undefined || v === null ? "" : v), z.string().max(1000));

/**
 * A scoring rule as the form posts it: plain texts, checked by parseRule (commands/leads/
 * scoringRules.ts) so the form and any later API get the same messages.
 */
export const ruleFormSchema = z
  .object({
    subject: text,
    // The lead field (a select) for "Lead field"; the answer key or event kinds (a text) otherwise.
    field: text,
    fieldKey: text,
    operator: text,
    value: text,
    points: text,
  })
  .transform(({ fieldKey, ...rule }) => ({
    ...rule,
    field: rule.subject === "answer" || rule.subject === "engagement" ? fieldKey : rule.field,
  }));

export const ruleParams = idParams("ruleId");
export const scoreParams = idParams("leadId");

/** The round-robin form: the switch, chosen members and available ones (checkboxes, repeated). */
export const assignmentFormSchema = z.object({
  enabled: z.string().max(10).optional(),
  chosen: z.union([z.string(), z.array(z.string())]).optional(),
  available: z.union([z.string(), z.array(z.string())]).optional(),
});

/** The score set by hand: 0–100, or empty to clear (checked by setScoreOverride). */
export const overrideFormSchema = z.object({
  scoreOverride: z.string().max(10).optional().default(""),
});

/** Destructive actions are posted from their confirmation page, which sends confirm=yes. */
export const confirmedSchema = z.object({
  confirm: z.literal("yes", { error: "Confirm first." }),
});
