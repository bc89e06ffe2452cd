import { z } from "zod";
import {
  emptyMapping,
  importFields,
  updatableFields,
  type ColumnMapping,
  type ImportField,
  type StartOptions,
  type UpdatableField,
} from "../../commands/imports/fields";
import type { UploadOptions } from "../../commands/imports/start";
import { idParams } from "../../http/params";

/** The mapping form (map_<field> = column index or "") and the API's upload fields. */
const asList = (value: unknown): unknown[] =>
  value === undefined || value === null || value === ""
    ? []
    : Array.isArray(value)
      ? value
      : [value];

const modeSchema = z.enum(["skip", "update"], { error: "Choose skip or update." }).default("skip");

const updateFieldsSchema = z.preprocess(
  (value) =>
    asList(value)
      .flatMap((v) => String(v).split(","))
      .map((v) => v.trim())
      .filter(Boolean),
  z.array(z.enum(updatableFields, { error: "Choose fields a customer has." })),
);

const checkbox = z.preprocess(
  (v) => v === "on" || v === "true" || v === "1" || v === true,
  z.boolean(),
);

/** Reads map_<field> fields; an unknown or empty value means "not imported". */
export function mappingFromForm(body: Record<string, unknown>): ColumnMapping {
  const mapping = emptyMapping();
  for (const field of importFields) {
    const value = body[`map_${field}`];
    const index = typeof value === "string" && /^\d{1,4}$/.test(value) ? Number(value) : null;
    mapping[field] = index;
  }
  return mapping;
}

const startSchema = z.object({
  mode: modeSchema,
  update: updateFieldsSchema,
  fillOnly: checkbox,
});

/** The whole mapping form: mapping, mode, and in update mode the fields to update. */
export const startOptionsSchema = z.looseObject({}).transform((body, ctx): StartOptions => {
  const parsed = startSchema.safeParse(body);
  if (!parsed.success) {
    ctx.addIssue({
      code: "custom",
      path: ["mode"],
      message: "Choose how to treat existing customers.",
    });
    return z.NEVER;
  }
  const { mode, update, fillOnly } = parsed.data;
  return {
    mapping: mappingFromForm(body),
    mode,
    update: { fields: update as UpdatableField[], fillOnly },
  };
});

/** Another sheet of a workbook to read the import from. */
export const sheetSchema = z.object({ sheet: z.string().catch("") });

export const importParams = idParams("importId");

/** The history's page number (odd values read as the first page). */
export const historyQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

/**
 * POST /api/v1/imports fields besides the file: mode (skip|update), updateFields (comma list),
 * fillOnly, sheet, and map.<field> = a header of the file ("" leaves the field out).
 */
export const apiSchema = z.object({
  mode: modeSchema,
  updateFields: updateFieldsSchema.optional(),
  fillOnly: checkbox,
  sheet: z.string().trim().max(100).optional(),
});

export const apiUploadSchema = z.looseObject({}).transform((body, ctx): UploadOptions => {
  const parsed = apiSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: "custom", path: [String(issue.path[0])], message: issue.message });
    return z.NEVER;
  }
  const requested: Partial<Record<ImportField, string>> = {};
  for (const field of importFields) {
    const value = body[`map.${field}`];
    if (typeof value === "string") requested[field] = value.trim();
  }
  const { mode, updateFields, fillOnly, sheet } = parsed.data;
  return {
    mode,
    autoStart: true,
    sheet: sheet || undefined,
    update: { fields: (updateFields ?? [...updatableFields]) as UpdatableField[], fillOnly },
    requestedMapping: Object.keys(requested).length > 0 ? requested : undefined,
  };
});
