import type { z } from "zod";

export type FieldErrors = Record<string, string>;

/** The first message per field, the way forms show them beside each input. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "form";
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Reports another schema's issues as this one's (a schema built from two parts of one form). */
export function relayIssues(ctx: z.RefinementCtx, error: z.ZodError): void {
  for (const issue of error.issues)
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
}
