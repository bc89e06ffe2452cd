import { z } from "zod";
import { customerFilterSchema } from "../../commands/customers/filter";
import { customerSorts } from "../../commands/customers/list";
import { isoTime, named } from "../../http/apiResponse";
import { pageQuerySchema } from "../../http/pagination";

/**
 * What the customers API answers (presenters/customer.ts, presenters/note.ts), for the OpenAPI
 * document; the examples are checked against these schemas by http/openapi.test.ts.
 */
const isoDate = z.iso.date();

export const customerSchema = named(
  "Customer",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable().describe("E.164"),
    phoneDisplay: z.string().nullable(),
    whatsapp: z.string().nullable().describe("E.164"),
    whatsappDisplay: z.string().nullable(),
    tags: z.array(z.string()),
    consentAt: isoDate.nullable(),
    birthDate: isoDate.nullable(),
    birthDateDisplay: z.string().nullable(),
    anniversary: isoDate.nullable(),
    anniversaryDisplay: z.string().nullable(),
    ownerId: z.number().int().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
    url: z.string().describe("The customer's page in the app"),
  }),
);

export const customerExample: z.input<typeof customerSchema> = {
  id: 42,
  name: "Asha Verma",
  email: "asha@example.com",
  phone: "+919812345678",
  phoneDisplay: "+91 98123 45678",
  whatsapp: "+919812345678",
  whatsappDisplay: "+91 98123 45678",
  tags: ["vip"],
  consentAt: "2026-11-02",
  birthDate: "1990-04-12",
  birthDateDisplay: "12 Apr 1990",
  anniversary: null,
  anniversaryDisplay: null,
  ownerId: 3,
  createdAt: "2026-11-02T09:30:00.000Z",
  updatedAt: "2026-11-20T12:00:00.000Z",
  url: "/customers/42",
};

export const noteSchema = named(
  "Note",
  z.strictObject({
    id: z.number().int(),
    customerId: z.number().int(),
    body: z.string(),
    author: z.strictObject({ id: z.number().int(), name: z.string().nullable() }).nullable(),
    editable: z.boolean().describe("Whether the caller may change or delete it"),
    createdAt: isoTime(),
    updatedAt: isoTime(),
  }),
);

export const noteExample: z.input<typeof noteSchema> = {
  id: 7,
  customerId: 42,
  body: "Called; wants the catalogue by WhatsApp.",
  author: { id: 3, name: "Ravi Kumar" },
  editable: true,
  createdAt: "2026-11-21T10:15:00.000Z",
  updatedAt: "2026-11-21T10:15:00.000Z",
};

/** The list's query as a client sends it: the filters, a sort, and the cursor paging. */
export const customerListQueryDoc = customerFilterSchema.in
  .extend(pageQuerySchema.shape)
  .extend({ sort: z.enum(customerSorts).default("name") });

/** A saved segment's filter, as answered (only the filters it sets). */
export const customerFilterOut = z.strictObject({
  q: z.string().optional(),
  tags: z.array(z.string()).optional(),
  tagMode: z.enum(["any", "all"]).optional(),
  createdFrom: z.iso.date().optional(),
  createdTo: z.iso.date().optional(),
  upcomingDays: z.number().int().optional(),
  ownerId: z.number().int().optional(),
});
