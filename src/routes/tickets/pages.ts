import type { Request, Response } from "express";
import { customerChoice, customerIdByEmail } from "../../commands/customers/choices";
import { createTicket } from "../../commands/tickets/create";
import {
  loadTicket as findTicket,
  ticketAgents,
  ticketMessages,
  ticketTimeline,
} from "../../commands/tickets/list";
import { addTicketMessage } from "../../commands/tickets/messages";
import { ticketReference } from "../../commands/tickets/numbering";
import { updateTicket } from "../../commands/tickets/update";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Ticket } from "../../models";
import { can } from "../../policies/permissions";
import { ticketStatusLabels } from "../../presenters/tickets";
import {
  moveOptions,
  presentThreadEntry,
  presentTicketRow,
  presentTimelineEntry,
  ticketFormView,
} from "../../presenters/ticketsViews";
import type { TenantContext } from "../../tenancy/context";
import type {
  messageFormSchema,
  newTicketQuery,
  statusFormSchema,
  ticketFormSchema,
  ticketParams,
} from "./schema";

type Values = Record<string, unknown>;
type OneTicket = { params: typeof ticketParams; record: Ticket };
type Deps = PageCall["deps"];

const messages = {
  noCustomerWithEmail:
    "No customer of this business has this e-mail. Add the customer first, or leave it empty.",
};

/** The ticket a path names, with its assignee and customer (404 in another business). */
export function loadTicket({ deps, ctx, params }: LoadCall<TenantContext, { ticketId: number }>) {
  return findTicket(deps, ctx, params.ticketId);
}

async function renderForm(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: { ticket?: Ticket; values: Values; errors?: FieldErrors; status?: number },
) {
  const { ticket, values } = options;
  res.status(options.status ?? 200).render("tickets/form", {
    title: ticket ? `Edit ${ticketReference(ticket.number)}` : "New ticket",
    heading: ticket ? `Edit ${ticketReference(ticket.number)}` : "New ticket",
    action: ticket ? `/tickets/${ticket.id}` : "/tickets",
    ticket: ticket ? { id: ticket.id } : null,
    csrfToken: csrfToken(req),
    values,
    errors: options.errors ?? {},
    cancelUrl: ticket ? `/tickets/${ticket.id}` : "/tickets",
    ...ticketFormView(values, {
      agents: await ticketAgents(deps, ctx),
      customer: await customerChoice(deps, ctx, values.customerId),
    }),
  });
}

/** A form that did not save comes back as typed, with the errors beside the fields. */
export function renderTicketFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Ticket | undefined }>,
  failure: FormFailure,
) {
  return renderForm(req, res, deps, ctx, {
    ticket: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** GET /tickets/new (from a customer's page: for that customer). */
export async function showNew({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof newTicketQuery }>) {
  const linked = await customerChoice(deps, ctx, query.customerId);
  await renderForm(req, res, deps, ctx, {
    values: { priority: "normal", assigneeId: "", customerId: linked?.id ?? "" },
  });
}

/** The customer the form names: the select's, or the one with the e-mail typed (422 if none). */
async function chosenCustomer(
  deps: Deps,
  ctx: TenantContext,
  body: { customerId?: number | null; customerEmail?: string },
): Promise<number | null | undefined> {
  if (!body.customerEmail) return body.customerId;
  const found = await customerIdByEmail(deps, ctx, body.customerEmail);
  if (!found) throw AppError.validation({ customerEmail: messages.noCustomerWithEmail });
  return found;
}

/** POST /tickets */
export async function create({ deps, ctx, body }: PageCall<{ body: typeof ticketFormSchema }>) {
  const { customerEmail, customerId, ...fields } = body;
  const ticket = await createTicket(deps, ctx, {
    ...fields,
    customerId: await chosenCustomer(deps, ctx, { customerId, customerEmail }),
    channel: "manual",
  });
  return redirect(`/tickets/${ticket.id}`, `Ticket ${ticketReference(ticket.number)} created.`);
}

/** GET /tickets/:ticketId/edit */
export async function showEdit({ req, res, deps, ctx, record: ticket }: PageCall<OneTicket>) {
  await renderForm(req, res, deps, ctx, {
    ticket,
    values: {
      subject: ticket.subject,
      category: ticket.category ?? "",
      priority: ticket.priority,
      assigneeId: ticket.assigneeId ?? "",
      customerId: ticket.customerId ?? "",
    },
  });
}

/** POST /tickets/:ticketId: the edit form (checks run before anything is written). */
export async function update({
  deps,
  ctx,
  body,
  record: ticket,
}: PageCall<OneTicket & { body: typeof ticketFormSchema }>) {
  const { customerEmail, customerId, message: _message, ...fields } = body;
  await updateTicket(deps, ctx, ticket, {
    ...fields,
    customerId: await chosenCustomer(deps, ctx, { customerId, customerEmail }),
  });
  return redirect(`/tickets/${ticket.id}`, `Ticket ${ticketReference(ticket.number)} saved.`);
}

/** The ticket page: details, thread, timeline and the reply/note form. */
async function renderTicket(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  ticket: Ticket,
  form: { values: Values; errors: FieldErrors; status: number } = {
    values: { kind: "reply" },
    errors: {},
    status: 200,
  },
) {
  const zone = ctx.business.timeZone;
  const now = deps.clock.now();
  const [thread, events, agents] = await Promise.all([
    ticketMessages(deps, ctx, ticket),
    ticketTimeline(deps, ctx, ticket),
    ticketAgents(deps, ctx),
  ]);
  const names = new Map(agents.map((a) => [a.id, a.name]));
  const customerEmail = ticket.customer?.email ?? null;
  res.status(form.status).render("tickets/show", {
    title: `${ticketReference(ticket.number)} ${ticket.subject}`,
    csrfToken: csrfToken(req),
    ticket: presentTicketRow(ticket, zone, now),
    customerEmail,
    thread: thread.map((m) => presentThreadEntry(m, zone)),
    timeline: events.map((e) => presentTimelineEntry(e, zone, names)).reverse(),
    canManage: can(ctx.membership.role, "tickets.manage"),
    canReply: customerEmail !== null && !["closed", "cancelled"].includes(ticket.status),
    values: form.values,
    errors: form.errors,
    kindReply: form.values.kind !== "note",
    afterOptions: [
      { value: "", label: "Keep the status", selected: !form.values.status },
      ...moveOptions(ticket.status).map((o) => ({
        ...o,
        selected: o.value === form.values.status,
      })),
    ],
    timeZone: zone,
  });
}

/** GET /tickets/:ticketId */
export function showTicket({ req, res, deps, ctx, record: ticket }: PageCall<OneTicket>) {
  return renderTicket(req, res, deps, ctx, ticket);
}

/** POST /tickets/:ticketId/messages: a reply (e-mailed) or an internal note. */
export async function addMessage({
  deps,
  ctx,
  body,
  record: ticket,
}: PageCall<OneTicket & { body: typeof messageFormSchema }>) {
  await addTicketMessage(deps, ctx, ticket, body);
  return redirect(
    `/tickets/${ticket.id}`,
    body.kind === "reply" ? "Reply sent to the customer." : "Internal note added.",
  );
}

/** A message that was refused: the ticket page again, with the text kept and the error beside it. */
export function renderMessageFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Ticket }>,
  failure: FormFailure,
) {
  return renderTicket(req, res, deps, ctx, record, failure);
}

/** POST /tickets/:ticketId/status: a move from the board or the ticket page. */
export async function setStatus({
  deps,
  ctx,
  body,
  record: ticket,
}: PageCall<OneTicket & { body: typeof statusFormSchema }>) {
  await updateTicket(deps, ctx, ticket, { status: body.status });
  return redirect(
    body.from === "board" ? "/tickets/board" : `/tickets/${ticket.id}`,
    `${ticketReference(ticket.number)} is now ${ticketStatusLabels[ticket.status].toLowerCase()}.`,
  );
}

/** Where a refused move goes back to, with the reason as the flash. */
export function statusBack({ req, record }: PageFormCall<{ record: Ticket }>) {
  const from = (req.body as { from?: unknown } | undefined)?.from;
  return from === "board" ? "/tickets/board" : `/tickets/${record.id}`;
}
