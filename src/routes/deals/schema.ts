import { z } from "zod";
import { isoTime, named } from "../../http/apiResponse";
import { idField, idParams, selectId } from "../../http/params";
import { pageQuerySchema } from "../../http/pagination";
import { stageKinds } from "../../models/Deal";
import { maxAmountMinor } from "../../commands/deals/money";

const messages = {
  title: "Enter a title (up to 200 characters).",
  amount: "Enter an amount such as 150000 or 1,50,000.50 (no more decimals than the currency has).",
  apiAmount: "Send amountMinor as a whole number of minor units (paise, cents), 0 or more.",
  currency: "Enter a currency as its three-letter code (INR, USD, EUR…).",
  date: "Enter a date as YYYY-MM-DD, or leave it empty.",
  stage: "Choose a stage of this deal's pipeline.",
  owner: "Choose a member by id.",
  ownerFilter: 'Choose a member by id, or "none".',
  customer: "Choose a customer of this business.",
  reason: "Keep the reason to 500 characters.",
  stale: 'Send stale as "true" or leave it out.',
  apiId: "Send an id (a positive whole number) or null.",
  nothingToChange: "Send at least one field to change.",
  stageName: "Enter a stage name (up to 60 characters).",
  probability: "Enter a probability from 0 to 100.",
  kind: "Choose open, won or lost.",
};

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const title = z
  .string({ error: messages.title })
  .trim()
  .min(1, messages.title)
  .max(200, messages.title);
const currency = z
  .string({ error: messages.currency })
  .trim()
  .regex(/^[A-Za-z]{3}$/, messages.currency)
  .transform((v) => v.toUpperCase());
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, messages.date)
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
      new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    messages.date,
  );
const reason = z.string().trim().max(500, messages.reason);

export const dealParams = idParams("dealId");
/** GET /deals/new?customerId=: the customer page's "New deal" (a bad id is simply ignored). */
export const newDealQuery = z.object({
  customerId: z.preprocess(blank, idField().optional()).catch(undefined),
});
export const stageParams = idParams("pipelineId", "stageId");
export const pipelineParams = idParams("pipelineId");

/** The list's and the board's filters, as query parameters of the pages and the API. */
export const dealFilterShape = {
  pipelineId: z.preprocess(blank, idField().optional()),
  stageId: z.preprocess(blank, idField(messages.stage).optional()),
  ownerId: z.preprocess(
    blank,
    z
      .union([z.literal("none"), idField(messages.ownerFilter)], { error: messages.ownerFilter })
      .optional(),
  ),
  stale: z.preprocess(
    blank,
    z
      .enum(["true", "1"], { error: messages.stale })
      .transform(() => true)
      .optional(),
  ),
  customerId: z.preprocess(blank, idField(messages.customer).optional()),
};

export const dealFilterSchema = z.object({
  ...dealFilterShape,
  before: z.preprocess(blank, idField().optional()).catch(undefined),
});

/** The new/edit form: the amount typed as the currency shows it ("1,50,000.50"). */
export const dealFormSchema = z.object({
  title,
  amount: z.preprocess(blank, z.string().trim().max(30, messages.amount).optional()),
  currency: z.preprocess(blank, currency.optional()),
  expectedCloseOn: z.preprocess(blank, isoDate.optional()),
  stageId: selectId(messages.stage),
  ownerId: selectId(messages.owner),
  customerId: selectId(messages.customer),
  reason: z.preprocess(blank, reason.optional()),
});

/** POST /deals/:id/stage: the board's and the deal page's move. */
export const moveFormSchema = z.object({
  stageId: idField(messages.stage),
  reason: z.preprocess(blank, reason.optional()),
  from: z.enum(["board", "deal", "list"]).catch("deal"),
});

export const stageFormSchema = z.object({
  name: z
    .string({ error: messages.stageName })
    .trim()
    .min(1, messages.stageName)
    .max(60, messages.stageName),
  probability: z.coerce
    .number({ error: messages.probability })
    .int(messages.probability)
    .min(0, messages.probability)
    .max(100, messages.probability),
  kind: z.enum(stageKinds, { error: messages.kind }),
});

export const pipelineFormSchema = z.object({
  name: z
    .string({ error: "Enter a pipeline name (up to 100 characters)." })
    .trim()
    .min(1, "Enter a pipeline name (up to 100 characters).")
    .max(100, "Enter a pipeline name (up to 100 characters)."),
});

export const stageMoveFormSchema = z.object({ direction: z.enum(["up", "down"]) });
export const stageRemoveFormSchema = z.object({
  moveToStageId: z.preprocess(blank, idField(messages.stage).optional()),
});

const apiId = z.number({ error: messages.apiId }).int(messages.apiId).positive(messages.apiId);
const amountMinor = z
  .number({ error: messages.apiAmount })
  .int(messages.apiAmount)
  .min(0, messages.apiAmount)
  .max(maxAmountMinor, messages.apiAmount);

/** GET /api/v1/deals */
export const apiDealListSchema = pageQuerySchema.extend(dealFilterShape);

/** POST /api/v1/deals */
export const apiCreateDealSchema = z.strictObject({
  title,
  pipelineId: apiId.optional(),
  stageId: apiId.optional(),
  customerId: apiId.nullable().optional(),
  amountMinor: amountMinor.optional(),
  currency: currency.optional(),
  expectedCloseOn: isoDate.nullable().optional(),
  ownerId: apiId.nullable().optional(),
  reason: reason.nullable().optional(),
});

/** PATCH /api/v1/deals/:dealId: any of the fields, at least one (stageId moves it). */
export const apiUpdateDealSchema = z
  .strictObject({
    title: title.optional(),
    stageId: apiId.optional(),
    customerId: apiId.nullable().optional(),
    amountMinor: amountMinor.optional(),
    currency: currency.optional(),
    expectedCloseOn: isoDate.nullable().optional(),
    ownerId: apiId.nullable().optional(),
    reason: reason.nullable().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { error: messages.nothingToChange });

/** POST /api/v1/deals/:dealId/stage */
export const apiMoveDealSchema = z.strictObject({
  stageId: apiId,
  reason: reason.nullable().optional(),
});

const person = z.object({ id: z.number().int(), name: z.string() }).nullable();
const stage = z.strictObject({ id: z.number().int(), name: z.string(), kind: z.enum(stageKinds) });

export const dealSchema = named(
  "Deal",
  z.strictObject({
    id: z.number().int(),
    title: z.string(),
    pipelineId: z.number().int(),
    stageId: z.number().int(),
    stage: stage.nullable(),
    amountMinor: z.number().int(),
    currency: z.string(),
    amountFormatted: z.string(),
    customerId: z.number().int().nullable(),
    customer: person,
    ownerId: z.number().int().nullable(),
    owner: person,
    expectedCloseOn: z.string().nullable(),
    reason: z.string().nullable(),
    stale: z.boolean(),
    lastActivityAt: isoTime(),
    closedAt: isoTime().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const dealExample: z.input<typeof dealSchema> = {
  id: 12,
  title: "Annual maintenance contract",
  pipelineId: 1,
  stageId: 2,
  stage: { id: 2, name: "In progress", kind: "open" },
  amountMinor: 15000050,
  currency: "INR",
  amountFormatted: "₹1,50,000.50",
  customerId: 42,
  customer: { id: 42, name: "Meera Iyer" },
  ownerId: 3,
  owner: { id: 3, name: "Asha Rao" },
  expectedCloseOn: "2026-12-31",
  reason: null,
  stale: false,
  lastActivityAt: "2026-12-01T10:00:00.000Z",
  closedAt: null,
  createdAt: "2026-11-20T10:00:00.000Z",
  updatedAt: "2026-12-01T10:00:00.000Z",
};

export const pipelineSchema = named(
  "Pipeline",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    isDefault: z.boolean(),
    stages: z.array(
      z.strictObject({
        id: z.number().int(),
        name: z.string(),
        position: z.number().int(),
        probability: z.number().int(),
        kind: z.enum(stageKinds),
      }),
    ),
  }),
);

export const pipelineExample: z.input<typeof pipelineSchema> = {
  id: 1,
  name: "Sales",
  isDefault: true,
  stages: [
    { id: 1, name: "New", position: 0, probability: 10, kind: "open" },
    { id: 2, name: "In progress", position: 1, probability: 50, kind: "open" },
    { id: 3, name: "Won", position: 2, probability: 100, kind: "won" },
    { id: 4, name: "Lost", position: 3, probability: 0, kind: "lost" },
  ],
};
