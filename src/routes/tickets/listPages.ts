import type { Request, Response } from "express";
import {
  listTickets,
  ticketAgents,
  ticketBoard,
  type TicketFilter,
} from "../../commands/tickets/list";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { csrfToken } from "../../middleware/csrf";
import type { TicketStatus } from "../../models";
import { can } from "../../policies/permissions";
import { ticketStatusLabels } from "../../presenters/tickets";
import { presentTicketRow, ticketFilterView, ticketListUrl } from "../../presenters/ticketsViews";
import type { TenantContext } from "../../tenancy/context";
import type { ticketFilterSchema } from "./schema";

export const ticketPageSize = 25;
const defaultFilter: TicketFilter = { status: "active" };

/** The board's columns: every status a ticket is worked in, then resolved. */
const boardColumns: readonly TicketStatus[] = [
  "open",
  "in_progress",
  "waiting_on_customer",
  "resolved",
];

async function renderList(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  filter: TicketFilter & { before?: number },
  filterErrors: string[] = [],
) {
  const now = deps.clock.now();
  const { before, ...only } = filter;
  const rows = await listTickets(deps, ctx, only, { limit: ticketPageSize, beforeId: before });
  const shown = rows.slice(0, ticketPageSize);
  const last = shown[shown.length - 1];
  const filtered = ticketListUrl(only) !== "/tickets";
  res.status(filterErrors.length ? 422 : 200).render("tickets/index", {
    title: "Tickets",
    csrfToken: csrfToken(req),
    filterErrors,
    tickets: shown.map((ticket) => presentTicketRow(ticket, ctx.business.timeZone, now)),
    next:
      rows.length > ticketPageSize && last
        ? ticketListUrl(only, "/tickets", { before: String(last.id) })
        : null,
    first: before ? ticketListUrl(only) : null,
    boardUrl: ticketListUrl(only, "/tickets/board"),
    filtered,
    filtersActive: filterErrors.length > 0 || filtered,
    canManage: can(ctx.membership.role, "tickets.manage"),
    timeZone: ctx.business.timeZone,
    ...ticketFilterView(only, await ticketAgents(deps, ctx)),
  });
}

/** GET /tickets: the filtered list, newest first, 25 a page. */
export function showTickets({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof ticketFilterSchema }>) {
  return renderList(req, res, deps, ctx, query);
}

/** Filters that do not parse: the default list, with what was wrong above it (422). */
export function renderFilterFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderList(req, res, deps, ctx, defaultFilter, Object.values(failure.errors));
}

/** GET /tickets/board: a column per status; a card moves by its own small form (no script). */
export async function showBoard({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof ticketFilterSchema }>) {
  const now = deps.clock.now();
  const { before: _before, status: _status, ...filter } = query;
  const columns = await ticketBoard(deps, ctx, filter, boardColumns, 50, now);
  res.render("tickets/board", {
    title: "Ticket board",
    csrfToken: csrfToken(req),
    columns: columns.map((column) => ({
      status: column.status,
      label: ticketStatusLabels[column.status],
      total: column.total,
      more: column.total - column.tickets.length,
      tickets: column.tickets.map((t) => presentTicketRow(t, ctx.business.timeZone, now)),
    })),
    listUrl: ticketListUrl({ ...filter, status: "active" }),
    canManage: can(ctx.membership.role, "tickets.manage"),
    empty: columns.every((column) => column.total === 0),
    filtered: ticketListUrl({ ...filter, status: "active" }) !== "/tickets",
    ...ticketFilterView({ ...filter, status: "active" }, await ticketAgents(deps, ctx)),
  });
}
