import { respondsList, responds } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { createApi, createMessageApi, listApi, messagesApi, showApi, updateApi } from "./api";
import { receiveInboundMail, verifyInboundSecret } from "./inbound";
import { renderFilterFailure, showBoard, showTickets } from "./listPages";
import {
  addMessage,
  create,
  loadTicket,
  renderMessageFailure,
  renderTicketFailure,
  setStatus,
  showEdit,
  showNew,
  showTicket,
  statusBack,
  update,
} from "./pages";
import {
  apiCreateMessageSchema,
  apiCreateTicketSchema,
  apiMessageListSchema,
  apiTicketListSchema,
  apiUpdateTicketSchema,
  inboundMailSchema,
  messageFormSchema,
  newTicketQuery,
  statusFormSchema,
  ticketExample,
  ticketFilterSchema,
  ticketFormSchema,
  ticketMessageExample,
  ticketMessageSchema,
  ticketParams,
  ticketSchema,
} from "./schema";

const page = routes({ auth: "page", feature: "tickets" });
const api = routes({ auth: "api", feature: "tickets" });
const webhook = routes({ auth: "webhook" });
const shows = ["validation_failed", "conflict"] as const;
const one = { params: ticketParams, load: loadTicket };

/** Support tickets: list, board, ticket page, forms; the API; the inbound-mail webhook. */
export const ticketEndpoints: Endpoint[] = [
  page.get("/tickets", "tickets.view", {
    query: ticketFilterSchema,
    form: { render: renderFilterFailure },
    handler: showTickets,
  }),
  page.get("/tickets/board", "tickets.view", { query: ticketFilterSchema, handler: showBoard }),
  page.get("/tickets/new", "tickets.manage", { query: newTicketQuery, handler: showNew }),
  page.post("/tickets", "tickets.manage", {
    body: ticketFormSchema,
    form: { render: renderTicketFailure, shows },
    handler: create,
  }),
  page.get("/tickets/:ticketId", "tickets.view", { ...one, handler: showTicket }),
  page.get("/tickets/:ticketId/edit", "tickets.manage", { ...one, handler: showEdit }),
  page.post("/tickets/:ticketId", "tickets.manage", {
    ...one,
    body: ticketFormSchema,
    form: { render: renderTicketFailure, shows },
    handler: update,
  }),
  page.post("/tickets/:ticketId/status", "tickets.manage", {
    ...one,
    body: statusFormSchema,
    form: { back: statusBack, shows },
    handler: setStatus,
  }),
  page.post("/tickets/:ticketId/messages", "tickets.manage", {
    ...one,
    body: messageFormSchema,
    form: { render: renderMessageFailure, shows },
    handler: addMessage,
  }),

  api.get("/api/v1/tickets", "tickets.view", {
    summary: "List tickets (filters: status, priority, assigneeId, overdue, q), newest first",
    query: apiTicketListSchema,
    response: respondsList(ticketSchema, [ticketExample]),
    handler: listApi,
  }),
  api.post("/api/v1/tickets", "tickets.manage", {
    summary: "Open a ticket",
    body: apiCreateTicketSchema,
    response: responds(ticketSchema, ticketExample, { status: 201 }),
    handler: createApi,
  }),
  api.get("/api/v1/tickets/:ticketId", "tickets.view", {
    summary: "One ticket",
    ...one,
    response: responds(ticketSchema, ticketExample),
    handler: showApi,
  }),
  api.patch("/api/v1/tickets/:ticketId", "tickets.manage", {
    summary:
      "Change a ticket (status along the flow, assignee, priority, subject, category, customer)",
    ...one,
    body: apiUpdateTicketSchema,
    response: responds(ticketSchema, ticketExample),
    handler: updateApi,
  }),
  api.get("/api/v1/tickets/:ticketId/messages", "tickets.view", {
    summary: "A ticket's thread, oldest first",
    ...one,
    query: apiMessageListSchema,
    response: respondsList(ticketMessageSchema, [ticketMessageExample]),
    handler: messagesApi,
  }),
  api.post("/api/v1/tickets/:ticketId/messages", "tickets.manage", {
    summary: "Reply to the customer (e-mailed) or add an internal note",
    ...one,
    body: apiCreateMessageSchema,
    response: responds(ticketMessageSchema, ticketMessageExample, { status: 201 }),
    handler: createMessageApi,
  }),

  webhook.post("/webhooks/mail/inbound", "anyone", {
    verify: verifyInboundSecret,
    body: inboundMailSchema,
    enabledWhen: (config) => Boolean(config.INBOUND_MAIL_SECRET),
    handler: receiveInboundMail,
  }),
];
