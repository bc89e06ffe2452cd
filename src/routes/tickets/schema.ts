import { z } from "zod";
import { ticketStatusFilters } from "../../commands/tickets/list";
import { isoTime } from "../../http/apiResponse";
import { idField, idParams, selectId } from "../../http/params";
import { pageQuerySchema } from "../../http/pagination";
import {
  ticketChannels,
  ticketMessageKinds,
  ticketPriorities,
  ticketStatuses,
} from "../../models/Ticket";

/** The messages of every ticket form and API field, in one place. */
const messages = {
  subject: "Enter a subject.",
  subjectLong: "Keep the subject to 200 characters.",
  categoryLong: "Keep the category to 60 characters.",
  priority: "Choose a priority: low, normal, high or urgent.",
  status: "Choose a status: open, in_progress, waiting_on_customer, resolved, closed or cancelled.",
  statusFilter: "Choose a status: active, any, or one of the ticket statuses.",
  channel: "Choose a channel: web_form, email, whatsapp or manual.",
  assignee: "Choose a member of this business who works on tickets.",
  assigneeFilter: 'Choose a member by id, or "none".',
  customerFilter: "Choose a customer by id.",
  customer: "Choose a customer of this business.",
  customerEmail: "Enter the customer's e-mail address, or leave it empty.",
  apiId: "Send an id (a positive whole number) or null.",
  body: "Write a message.",
  bodyLong: "Keep a message to 20,000 characters.",
  kind: 'Choose "reply" (e-mailed to the customer) or "note" (internal).',
  search: "Search for a ticket number or words of the subject (up to 100 characters).",
  overdue: 'Send overdue as "true" or leave it out.',
  nothingToChange: "Send at least one field to change.",
};

/** An empty form or query field means "not given". */
const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const subject = z
  .string({ error: messages.subject })
  .trim()
  .min(1, messages.subject)
  .max(200, messages.subjectLong);
const category = z
  .string()
  .trim()
  .max(60, messages.categoryLong)
  .transform((value) => value || null);
const body = z
  .string({ error: messages.body })
  .trim()
  .min(1, messages.body)
  .max(20_000, messages.bodyLong);
const priority = z.enum(ticketPriorities, { error: messages.priority });
const status = z.enum(ticketStatuses, { error: messages.status });

/** The list's filters, as query parameters of the page, the board and the API alike. */
export const ticketFilterShape = {
  status: z.preprocess(
    blank,
    z.enum(ticketStatusFilters, { error: messages.statusFilter }).default("active"),
  ),
  priority: z.preprocess(blank, priority.optional()),
  assigneeId: z.preprocess(
    blank,
    z
      .union([z.literal("none"), idField(messages.assigneeFilter)], {
        error: messages.assigneeFilter,
      })
      .optional(),
  ),
  overdue: z.preprocess(
    blank,
    z
      .enum(["true", "1"], { error: messages.overdue })
      .transform(() => true)
      .optional(),
  ),
  q: z.preprocess(blank, z.string().trim().max(100, messages.search).optional()),
  customerId: z.preprocess(blank, idField(messages.customerFilter).optional()),
};

/** GET /tickets and /tickets/board: the filters, and the page's position (id of the last row seen). */
export const ticketFilterSchema = z.object({
  ...ticketFilterShape,
  before: z.preprocess(blank, idField().optional()).catch(undefined),
});

/** GET /api/v1/tickets: the filters, paged by the API's cursor. */
export const apiTicketListSchema = pageQuerySchema.extend(ticketFilterShape);
export const apiMessageListSchema = pageQuerySchema;

export const ticketParams = idParams("ticketId");

/**
 * The new/edit form. The customer is chosen by the select (a linked one) or found by the e-mail
 * typed (customers of the business only); the status is changed on the ticket page, not here.
 */
export const ticketFormSchema = z.object({
  subject,
  category: category.optional().transform((value) => value ?? null),
  priority,
  assigneeId: selectId(messages.assignee),
  customerId: selectId(messages.customer),
  customerEmail: z.preprocess(
    blank,
    z.email({ error: messages.customerEmail }).max(191).toLowerCase().optional(),
  ),
  message: z.preprocess(blank, body.optional()),
});

/** GET /tickets/new: optionally for a customer (from the customer's page). */
export const newTicketQuery = z.object({
  customerId: z.string().optional().catch(undefined),
});

/** POST /tickets/:id/status: the board's and the ticket page's move. */
export const statusFormSchema = z.object({
  status,
  /** Where to go back to: the board or the ticket page. */
  from: z.enum(["board", "ticket"]).catch("ticket"),
});

/** POST /tickets/:id/messages: a reply or a note, optionally moving the ticket on. */
export const messageFormSchema = z.object({
  kind: z.enum(["reply", "note"], { error: messages.kind }),
  body,
  status: z.preprocess(blank, status.optional()),
});

const apiId = z.number({ error: messages.apiId }).int(messages.apiId).positive(messages.apiId);

/** POST /api/v1/tickets: a subject, the rest optional; unknown keys are refused. */
export const apiCreateTicketSchema = z.strictObject({
  subject,
  customerId: apiId.nullable().optional(),
  category: category.nullable().optional(),
  priority: priority.optional(),
  channel: z.enum(ticketChannels, { error: messages.channel }).optional(),
  assigneeId: apiId.nullable().optional(),
  message: body.optional(),
});

/** PATCH /api/v1/tickets/:ticketId: any of the fields, at least one; status along the flow. */
export const apiUpdateTicketSchema = z
  .strictObject({
    subject: subject.optional(),
    customerId: apiId.nullable().optional(),
    category: category.nullable().optional(),
    priority: priority.optional(),
    status: status.optional(),
    assigneeId: apiId.nullable().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { error: messages.nothingToChange });

/** POST /api/v1/tickets/:ticketId/messages */
export const apiCreateMessageSchema = z.strictObject({
  kind: z.enum(["reply", "note"], { error: messages.kind }),
  body,
  status: status.optional(),
});

const person = z.object({ id: z.number().int(), name: z.string() }).nullable();

/** One ticket as the API answers it (presenters/tickets.ts presentTicket). */
export const ticketSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  subject: z.string(),
  status,
  priority,
  channel: z.enum(ticketChannels),
  category: z.string().nullable(),
  customerId: z.number().int().nullable(),
  customer: person,
  assigneeId: z.number().int().nullable(),
  assignee: person,
  firstResponseDueAt: isoTime().nullable(),
  resolutionDueAt: isoTime().nullable(),
  firstRespondedAt: isoTime().nullable(),
  resolvedAt: isoTime().nullable(),
  closedAt: isoTime().nullable(),
  overdue: z.enum(["first_response", "resolution"]).nullable(),
  createdAt: isoTime(),
  updatedAt: isoTime(),
});

export const ticketExample: z.input<typeof ticketSchema> = {
  id: 7,
  number: "TKT-000123",
  subject: "Invoice shows the wrong GSTIN",
  status: "in_progress",
  priority: "high",
  channel: "email",
  category: "Billing",
  customerId: 42,
  customer: { id: 42, name: "Meera Iyer" },
  assigneeId: 3,
  assignee: { id: 3, name: "Asha Rao" },
  firstResponseDueAt: "2026-12-01T14:00:00.000Z",
  resolutionDueAt: "2026-12-02T10:00:00.000Z",
  firstRespondedAt: "2026-12-01T11:20:00.000Z",
  resolvedAt: null,
  closedAt: null,
  overdue: null,
  createdAt: "2026-12-01T10:00:00.000Z",
  updatedAt: "2026-12-01T11:20:00.000Z",
};

/** One message of a ticket's thread (presentTicketMessage). */
export const ticketMessageSchema = z.object({
  id: z.number().int(),
  kind: z.enum(ticketMessageKinds),
  body: z.string(),
  authorId: z.number().int().nullable(),
  author: person,
  fromEmail: z.string().nullable(),
  createdAt: isoTime(),
});

export const ticketMessageExample: z.input<typeof ticketMessageSchema> = {
  id: 55,
  kind: "reply",
  body: "We have corrected the GSTIN; the new invoice is attached to your account.",
  authorId: 3,
  author: { id: 3, name: "Asha Rao" },
  fromEmail: null,
  createdAt: "2026-12-01T11:20:00.000Z",
};

/**
 * POST /webhooks/mail/inbound: an e-mail as the provider's inbound parser hands it over (JSON).
 * `to` may be one address or several; `text` is the plain-text body.
 */
export const inboundMailSchema = z.object({
  from: z.string().trim().min(3).max(320),
  to: z
    .union([z.string().max(2000), z.array(z.string().max(320)).max(50)])
    .transform((value) => (Array.isArray(value) ? value : value.split(","))),
  subject: z.string().max(1000).default(""),
  text: z.string().max(200_000).default(""),
  messageId: z.string().max(500).nullable().optional(),
});
