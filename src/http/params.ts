import { z } from "zod";
import { decimalId } from "../lib/ids";

export { idField, parseRecordId } from "../lib/ids";

/** A record id in a path (the rule of lib/ids.ts): digits only, so "/customers/new" or "export.csv" is never one. */
export const recordId = z.string().regex(decimalId).transform(Number);

/** The schema of a path whose parameters are all record ids, e.g. idParams("customerId"). */
export function idParams<K extends string>(...names: K[]): z.ZodObject<Record<K, typeof recordId>> {
  const shape = Object.fromEntries(names.map((name) => [name, recordId])) as Record<
    K,
    typeof recordId
  >;
  return z.object(shape);
}

/** Path parameters named like a record's id (`:customerId`, `:noteId`). */
export function isIdParamName(name: string): boolean {
  return /^[a-z]\w*Id$/.test(name);
}

/**
 * Why a path's id parameters do not follow the rule, for the mounter: each `:…Id` parameter must
 * be read by `recordId` (through `idParams`), so no table can read one another way.
 */
export function idParamProblems(path: string, params: z.ZodType | undefined): string[] {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1] as string).filter(isIdParamName);
  if (names.length === 0) return [];
  const shape = params instanceof z.ZodObject ? (params.shape as Record<string, unknown>) : {};
  return names
    .filter((name) => shape[name] !== recordId)
    .map((name) => `:${name} must be read as a record id (params: idParams("${name}", …))`);
}

/**
 * A select's value in a form (an owner, a stage, a customer): empty is "none" (null), otherwise a
 * positive id of at most 10 digits; absent (undefined) leaves the default.
 */
export function selectId(message: string) {
  return z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (!value) return null;
      if (!/^\d{1,10}$/.test(value) || Number(value) === 0) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return Number(value);
    });
}
