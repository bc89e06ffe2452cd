import { z } from "zod";
import { customerFilterSchema, isEmptyFilter } from "../../commands/customers/filter";
import { customerInputSchema } from "../../commands/customers/input";
import { customerSorts } from "../../commands/customers/list";
import { pageQuerySchema } from "../../http/pagination";
import { relayIssues } from "../../lib/forms";

/**
 * Request shapes of the customers, notes and segments API. Unlike the list page, which falls back
 * to defaults on odd values, the API answers 422 naming every bad field: a client should learn
 * its mistake rather than get a page it did not ask for.
 */
const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

/**
 * Paging of the customer lists: the API's one cursor pagination (http/pagination.ts) plus a sort.
 * The cursor is the list's own keyset position (commands/customers/list.ts), opaque to clients.
 */
export const apiPageSchema = pageQuerySchema
  .extend({
    sort: z.preprocess(
      blank,
      z
        .enum(customerSorts, { error: `Sort by one of: ${customerSorts.join(", ")}.` })
        .default("name"),
    ),
  })
  .transform(({ sort, limit, cursor }) => ({ sort, size: limit, after: cursor }));

/** List query: the list page's filter plus paging, with the errors of both reported together. */
export const apiListQuerySchema = z.looseObject({}).transform((query, ctx) => {
  const filter = customerFilterSchema.safeParse(query);
  const page = apiPageSchema.safeParse(query);
  if (!filter.success) relayIssues(ctx, filter.error);
  if (!page.success) relayIssues(ctx, page.error);
  if (!filter.success || !page.success) return z.NEVER;
  return { filter: filter.data, page: page.data };
});

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

/**
 * PATCH /api/v1/customers/:customerId: what was sent, over what the customer has, checked as a
 * whole customer (fields not listed are ignored, as on create).
 */
export function customerPatchSchema(country: string, current: Record<string, unknown>) {
  return z
    .looseObject({})
    .transform((body) => {
      const merged: Record<string, unknown> = {};
      for (const field of customerFields)
        merged[field] = field in body ? body[field] : current[field];
      return merged;
    })
    .pipe(customerInputSchema(country));
}

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
