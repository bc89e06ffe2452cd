import { z } from "zod";
import type { BulkAction, BulkTarget } from "../../commands/customers/bulk";
import { customerFilterSchema, type CustomerFilter } from "../../commands/customers/filter";
import { normaliseTags } from "../../commands/customers/input";
import { customerSorts, pageSizes } from "../../commands/customers/list";
import { mergeableFields } from "../../commands/customers/merge";
import { idField, idParams } from "../../http/params";
import { relayIssues } from "../../lib/forms";

const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

/** Paging of the list: sort, page size and a keyset cursor. Unknown values fall back to defaults. */
export const pageSchema = z.object({
  sort: z.preprocess(blank, z.enum(customerSorts).catch("name").default("name")),
  size: z.preprocess(
    blank,
    z.coerce
      .number()
      .refine((n) => (pageSizes as readonly number[]).includes(n))
      .catch(25)
      .default(25),
  ),
  after: z.preprocess(blank, z.string().max(400).optional()),
  before: z.preprocess(blank, z.string().max(400).optional()),
});

const ids = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(idField("Tick customers from the list."))
    .max(1000, { error: "Select at most 1000 rows." }),
);

export const bulkSchema = z
  .object({
    action: z.enum(["tag", "untag", "assign", "delete"], { error: "Choose an action." }),
    scope: z.enum(["selected", "filter"]).default("selected"),
    ids,
    bulkTags: z.preprocess((v) => normaliseTags(v), z.array(z.string().max(64))),
    newOwnerId: z.preprocess(blank, idField("Choose the new owner.").optional()),
    confirm: z.preprocess(blank, z.literal("yes").optional()),
  })
  .superRefine((value, ctx) => {
    if (value.scope === "selected" && value.ids.length === 0)
      ctx.addIssue({ code: "custom", path: ["ids"], message: "Tick at least one customer." });
    if ((value.action === "tag" || value.action === "untag") && value.bulkTags.length === 0)
      ctx.addIssue({ code: "custom", path: ["bulkTags"], message: "Enter the tags." });
    if (value.action === "assign" && !value.newOwnerId)
      ctx.addIssue({ code: "custom", path: ["newOwnerId"], message: "Choose the new owner." });
  });

export const mergeSchema = z.object({
  duplicateId: idField("Choose the duplicate."),
  ...Object.fromEntries(
    mergeableFields.map((field) => [field, z.enum(["survivor", "duplicate"]).optional()]),
  ),
}) as z.ZodType<
  { duplicateId: number } & Partial<
    Record<(typeof mergeableFields)[number], "survivor" | "duplicate">
  >
>;

export const noteSchema = z.object({
  body: z.string({ error: "Write something in the note." }).max(10_000, {
    error: "Keep a note under 10000 characters.",
  }),
});

export const tagNameSchema = z.object({
  name: z.string({ error: "Enter a tag name." }).trim().min(1, { error: "Enter a tag name." }),
});

export const segmentNameSchema = z.object({
  segmentName: z
    .string({ error: "Name the segment." })
    .trim()
    .min(1, { error: "Name the segment." })
    .max(120, { error: "Use at most 120 characters." }),
});

export const customerParams = idParams("customerId");
export const noteParams = idParams("customerId", "noteId");

/** The list's query: the filter (422 when it does not parse) and paging (defaults on odd values). */
export const listQuerySchema = z.looseObject({}).transform((query, ctx) => {
  const filter = customerFilterSchema.safeParse(query);
  if (!filter.success) {
    relayIssues(ctx, filter.error);
    return z.NEVER;
  }
  return { filter: filter.data, page: pageSchema.parse(query) };
});

/** The filter of a posted list form (bulk actions), or no filter when it does not parse. */
export function lenientFilter(values: unknown): CustomerFilter {
  const filter = customerFilterSchema.safeParse(values);
  return filter.success ? filter.data : {};
}

/** The bulk form: the action and its target, plus the list's filter it was sent from. */
export const bulkFormSchema = z.looseObject({}).transform((values, ctx) => {
  const parsed = bulkSchema.safeParse(values);
  if (!parsed.success) {
    relayIssues(ctx, parsed.error);
    return z.NEVER;
  }
  const form = parsed.data;
  const filter = lenientFilter(values);
  const target: BulkTarget = form.scope === "filter" ? { filter } : { ids: form.ids };
  let command: BulkAction;
  if (form.action === "assign") {
    // bulkSchema asks for the owner already; this keeps the command's type honest.
    if (!form.newOwnerId) {
      ctx.addIssue({ code: "custom", path: ["newOwnerId"], message: "Choose the new owner." });
      return z.NEVER;
    }
    command = { action: "assign", ownerId: form.newOwnerId };
  } else if (form.action === "delete") command = { action: "delete" };
  else command = { action: form.action, tags: form.bulkTags };
  return { ...form, filter, target, command };
});

/** The merge page's query: the duplicate chosen, or a search for it. */
export const mergeQuerySchema = z.object({
  duplicateId: z.string().optional().catch(undefined),
  q: z
    .string()
    .optional()
    .catch(undefined)
    .transform((q) => (q ?? "").slice(0, 100)),
});

/** Saving the list's filter as a segment: the name, and a filter that parses. */
export const segmentFormSchema = z.looseObject({}).transform((values, ctx) => {
  const name = segmentNameSchema.safeParse(values);
  const filter = customerFilterSchema.safeParse(values);
  if (!name.success) relayIssues(ctx, name.error);
  if (!filter.success) relayIssues(ctx, filter.error);
  if (!name.success || !filter.success) return z.NEVER;
  return { name: name.data.segmentName, filter: filter.data };
});
