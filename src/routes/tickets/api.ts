import { createTicket } from "../../commands/tickets/create";
import { loadTicket, listTickets, ticketMessages } from "../../commands/tickets/list";
import { addTicketMessage } from "../../commands/tickets/messages";
import { updateTicket } from "../../commands/tickets/update";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf } from "../../http/pagination";
import type { Ticket } from "../../models";
import { presentTicket, presentTicketMessage } from "../../presenters/tickets";
import type {
  apiCreateMessageSchema,
  apiCreateTicketSchema,
  apiMessageListSchema,
  apiTicketListSchema,
  apiUpdateTicketSchema,
  ticketParams,
} from "./schema";

type OneTicket = { params: typeof ticketParams; record: Ticket };

/** GET /api/v1/tickets: the page's filters, newest first, by cursor. */
export async function listApi({
  deps,
  ctx,
  query,
}: ApiCall<{ query: typeof apiTicketListSchema }>) {
  const { cursor, limit, ...filter } = query;
  const beforeId = cursor ? decodeCursor(idPosition, cursor).id : undefined;
  const rows = await listTickets(deps, ctx, filter, { limit, beforeId });
  const now = deps.clock.now();
  const { rows: items, nextCursor } = pageOf(rows, limit, (last) => ({ id: last.id }));
  return page(
    items.map((ticket) => presentTicket(ticket, now)),
    nextCursor,
    `${items.length} ticket(s).`,
  );
}

/** POST /api/v1/tickets */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof apiCreateTicketSchema }>) {
  const ticket = await createTicket(deps, ctx, body);
  const created = await loadTicket(deps, ctx, ticket.id);
  return reply(presentTicket(created, deps.clock.now()), "Ticket created.", {
    status: 201,
    location: `/api/v1/tickets/${ticket.id}`,
  });
}

/** GET /api/v1/tickets/:ticketId */
export function showApi({ deps, record: ticket }: ApiCall<OneTicket>) {
  return reply(presentTicket(ticket, deps.clock.now()), "Ticket.");
}

/** PATCH /api/v1/tickets/:ticketId: reloaded after, so names follow the new ids. */
export async function updateApi({
  deps,
  ctx,
  body,
  record: ticket,
}: ApiCall<OneTicket & { body: typeof apiUpdateTicketSchema }>) {
  await updateTicket(deps, ctx, ticket, body);
  const fresh = await loadTicket(deps, ctx, ticket.id);
  return reply(presentTicket(fresh, deps.clock.now()), "Ticket updated.");
}

/** GET /api/v1/tickets/:ticketId/messages: the thread, oldest first, by cursor. */
export async function messagesApi({
  deps,
  ctx,
  query,
  record: ticket,
}: ApiCall<OneTicket & { query: typeof apiMessageListSchema }>) {
  const afterId = query.cursor ? decodeCursor(idPosition, query.cursor).id : undefined;
  const rows = await ticketMessages(deps, ctx, ticket, { limit: query.limit, afterId });
  const { rows: items, nextCursor } = pageOf(rows, query.limit, (last) => ({ id: last.id }));
  return page(items.map(presentTicketMessage), nextCursor, `${items.length} message(s).`);
}

/** POST /api/v1/tickets/:ticketId/messages: a reply (e-mailed) or an internal note. */
export async function createMessageApi({
  deps,
  ctx,
  body,
  record: ticket,
}: ApiCall<OneTicket & { body: typeof apiCreateMessageSchema }>) {
  const message = await addTicketMessage(deps, ctx, ticket, body);
  const [withAuthor] = await ticketMessages(deps, ctx, ticket, {
    limit: 1,
    afterId: message.id - 1,
  });
  return reply(
    presentTicketMessage(withAuthor ?? message),
    body.kind === "reply" ? "Reply sent to the customer." : "Note added.",
    { status: 201 },
  );
}
