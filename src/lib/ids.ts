import { z } from "zod";

/**
 * The one rule for record ids, wherever they arrive (a path, a query string, a form field, JSON):
 * a positive whole number written in decimal digits, at most 15 of them. Never `Number()` or
 * `z.coerce.number()`, which read "0x10" as 16, "1e1" as 10 and " 7" as 7.
 */
export const decimalId = /^[1-9]\d{0,14}$/;

/** `value` as a record id, or null when it is not one (text of decimal digits, or a JSON number). */
export function parseRecordId(value: unknown): number | null {
  if (typeof value === "number")
    return Number.isSafeInteger(value) && value > 0 && value < 1e15 ? value : null;
  return typeof value === "string" && decimalId.test(value) ? Number(value) : null;
}

/** A record id in a query string, a form field or a JSON body (text of digits, or a number). */
export function idField(message = "Send an id: a positive whole number.") {
  return z.unknown().transform((value, ctx) => {
    const id = parseRecordId(value);
    if (id === null) {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return id;
  });
}
