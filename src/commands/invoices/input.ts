import { z } from "zod";
import { AppError } from "../../errors";
import { gstinMessages, gstinProblem, isStateCode, normalizeGstin } from "../../lib/gstin";

/** Largest taxable value of one line: ₹1 crore (keeps every total far inside a 32-bit column). */
export const maxLineMinor = 1_000_000_000;
export const maxLines = 50;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `at most ${max} characters` })
    .optional()
    .transform((value) => (value === "" ? undefined : value));

/** A GSTIN field: empty means none; otherwise upper-cased and checked with its checksum. */
export const gstinField = z
  .string()
  .optional()
  .nullable()
  .transform((value, ctx) => {
    const gstin = normalizeGstin(value ?? "");
    if (gstin === "") return null;
    const problem = gstinProblem(gstin);
    if (problem) {
      ctx.addIssue({ code: "custom", message: gstinMessages[problem] });
      return z.NEVER;
    }
    return gstin;
  });

export const stateCodeField = z
  .string()
  .trim()
  .optional()
  .nullable()
  .transform((value) => (value ? value.padStart(2, "0") : null))
  .refine((value) => value === null || isStateCode(value), {
    error: "choose a state from the list",
  });

const buyerSchema = z.object({
  name: z.string().trim().min(1, { error: "the buyer's name is required" }).max(200),
  address: optionalText(500),
  gstin: gstinField,
  stateCode: stateCodeField,
});

const lineSchema = z.object({
  description: z.string().trim().min(1, { error: "each line needs a description" }).max(200),
  sac: z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || /^\d{6}$/.test(value), { error: "a SAC is 6 digits" }),
  amountMinor: z
    .number()
    .int({ error: "amounts are whole paise" })
    .min(1, { error: "a line's taxable value must be at least 1 paisa" })
    .max(maxLineMinor, { error: "a line may be at most ₹1 crore" }),
});

export const requestSchema = z
  .object({
    businessId: z.number().int().positive(),
    paymentRef: z
      .string()
      .trim()
      .min(1, { error: "the payment reference is required" })
      .max(64)
      .regex(/^[A-Za-z0-9_.:-]+$/, { error: "letters, digits, '_', '.', ':' and '-' only" }),
    kind: z.enum(["invoice", "credit_note"]),
    creditFor: z.string().trim().min(1).max(64).optional(),
    lines: z.array(lineSchema).max(maxLines, { error: `at most ${maxLines} lines` }),
    buyer: buyerSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.kind === "credit_note" && !input.creditFor)
      ctx.addIssue({
        code: "custom",
        path: ["creditFor"],
        message: "a credit note names the payment of the invoice it credits",
      });
    if (input.kind === "invoice" && input.creditFor)
      ctx.addIssue({
        code: "custom",
        path: ["creditFor"],
        message: "only credit notes credit an invoice",
      });
    if (input.kind === "invoice" && input.lines.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["lines"],
        message: "an invoice needs at least one line",
      });
  });

export type RequestInput = z.output<typeof requestSchema>;

/** The input checked, or an AppError naming every field's problem (nothing written). */
export function parseRequest(input: unknown): RequestInput {
  const result = requestSchema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "input";
    fields[key] ??= issue.message;
  }
  throw AppError.validation(fields, "The invoice request is not valid.");
}
