import type { Request } from "express";
import { z } from "zod";
import {
  customerFilterSchema,
  isEmptyFilter,
  type CustomerFilter,
} from "../../commands/customers/filter";
import { customerSorts, type PageRequest } from "../../commands/customers/list";
import { AppError } from "../../errors";
import { fieldErrors, type FieldErrors } from "../../lib/forms";

/**
 * Request shapes of the customers, notes and segments API. Unlike the list page, which falls back
 * to defaults on odd values, the API answers 422 naming every bad field: a client should learn
 * its mistake rather than get a page it did not ask for.
 */
const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

export const maxApiPageSize = 100;

export const apiPageSchema = z.object({
  sort: z.preprocess(
    blank,
    z
      .enum(customerSorts, { error: `Sort by one of: ${customerSorts.join(", ")}.` })
      .default("name"),
  ),
  size: z.preprocess(
    blank,
    z.coerce
      .number({ error: `Use a page size from 1 to ${maxApiPageSize}.` })
      .int({ error: `Use a page size from 1 to ${maxApiPageSize}.` })
      .min(1, { error: `Use a page size from 1 to ${maxApiPageSize}.` })
      .max(maxApiPageSize, { error: `Use a page size from 1 to ${maxApiPageSize}.` })
      .default(25),
  ),
  after: z.preprocess(blank, z.string({ error: "Send one cursor." }).max(400).optional()),
  before: z.preprocess(blank, z.string({ error: "Send one cursor." }).max(400).optional()),
});

/** The typed value, or 422 with every field's problem. */
export function validated<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw AppError.validation(fieldErrors(parsed.error));
  return parsed.data;
}

/** A JSON body that is an object (PATCH merges it), or 422. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw AppError.validation({ form: "Send a JSON object." });
  return body as Record<string, unknown>;
}

/** List query: the list page's filter plus paging, with the errors of both reported together. */
export function listQuery(query: unknown): { filter: CustomerFilter; page: PageRequest } {
  const filter = customerFilterSchema.safeParse(query);
  const page = apiPageSchema.safeParse(query);
  if (filter.success && page.success) return { filter: filter.data, page: page.data };
  const errors: FieldErrors = {
    ...(filter.success ? {} : fieldErrors(filter.error)),
    ...(page.success ? {} : fieldErrors(page.error)),
  };
  throw AppError.validation(errors);
}

/** The customer fields a PATCH may send; anything else is ignored, as on create. */
export const customerFields = [
  "name",
  "email",
  "phone",
  "whatsapp",
  "tags",
  "consentAt",
  "birthDate",
  "anniversary",
  "ownerId",
] as const;

export const noteBodySchema = z.object({
  body: z.string({ error: "Write something in the note." }),
});

const segmentFilterField = z.preprocess(
  (v) => (v === undefined || v === null ? {} : v),
  z
    .record(z.string(), z.unknown(), { error: "Send the filter as an object." })
    .pipe(customerFilterSchema),
);

export const segmentCreateSchema = z.object({
  name: z.string({ error: "Name the segment." }),
  filter: segmentFilterField,
});

export const segmentUpdateSchema = z.object({
  name: z.string({ error: "Name the segment." }).optional(),
  filter: z
    .record(z.string(), z.unknown(), { error: "Send the filter as an object." })
    .pipe(customerFilterSchema)
    .refine((filter) => !isEmptyFilter(filter), { error: "Set at least one filter." })
    .optional(),
});
