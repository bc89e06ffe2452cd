import { type MemberChoice, membersWhoMay } from "../members";
import { Op, type Includeable, type WhereOptions } from "sequelize";
import type { Deps } from "../../deps";
import type {
  Ticket,
  TicketEvent,
  TicketMessage,
  TicketPriority,
  TicketStatus,
} from "../../models";
import { ticketStatuses } from "../../models/Ticket";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { parseTicketReference } from "./numbering";
import { slaActiveStatuses } from "./sla";

/** "active" is everything not finished (the default); "any" is every status. */
export const ticketStatusFilters = ["active", "any", ...ticketStatuses] as const;
export type TicketStatusFilter = (typeof ticketStatusFilters)[number];
const activeStatuses: readonly TicketStatus[] = ["open", "in_progress", "waiting_on_customer"];

export interface TicketFilter {
  status: TicketStatusFilter;
  priority?: TicketPriority;
  /** A member's id, or "none" for unassigned tickets. */
  assigneeId?: number | "none";
  overdue?: boolean;
  /** A ticket number (TKT-000123, 123) or words of the subject. */
  q?: string;
  /** Only this customer's tickets (the customer page). */
  customerId?: number;
}

function statusCondition(status: TicketStatusFilter) {
  if (status === "any") return null;
  if (status === "active") return { status: { [Op.in]: activeStatuses } };
  return { status };
}

/** Missed a target at `now` — the same rule as sla.ts's slaBreach, as a WHERE. */
function overdueCondition(now: Date) {
  return {
    status: { [Op.in]: slaActiveStatuses },
    [Op.or]: [
      { resolutionDueAt: { [Op.lte]: now } },
      { firstRespondedAt: null, firstResponseDueAt: { [Op.lte]: now } },
    ],
  };
}

/** Subject words, as a LIKE pattern: wildcard characters typed are dropped (SQLite has no default escape). */
function likeEscaped(text: string): string {
  return `%${text.replace(/[\\%_]/g, "")}%`;
}

export function ticketConditions(
  filter: TicketFilter,
  now: Date,
): Record<string | symbol, unknown>[] {
  const conditions: Record<string | symbol, unknown>[] = [];
  const status = statusCondition(filter.status);
  if (status) conditions.push(status);
  if (filter.priority) conditions.push({ priority: filter.priority });
  if (filter.assigneeId === "none") conditions.push({ assigneeId: null });
  else if (filter.assigneeId !== undefined) conditions.push({ assigneeId: filter.assigneeId });
  if (filter.overdue) conditions.push(overdueCondition(now));
  if (filter.customerId !== undefined) conditions.push({ customerId: filter.customerId });
  const q = filter.q?.trim();
  if (q) {
    const number = parseTicketReference(q);
    const subject = { subject: { [Op.like]: likeEscaped(q) } };
    conditions.push(number === null ? subject : { [Op.or]: [{ number }, subject] });
  }
  return conditions;
}

export function ticketIncludes(deps: Deps): Includeable[] {
  return [
    { model: deps.models.User, as: "assignee", attributes: ["id", "name"] },
    { model: deps.models.Customer, as: "customer", attributes: ["id", "name", "email"] },
  ];
}

/**
 * One page of tickets, newest first, keyset-paged on id: `afterId` is the last id of the page
 * before. Reads `limit + 1` rows so the caller knows whether a next page exists.
 */
export async function listTickets(
  deps: Deps,
  ctx: TenantContext,
  filter: TicketFilter,
  page: { limit: number; beforeId?: number },
  now = deps.clock.now(),
): Promise<Ticket[]> {
  authorize(ctx, "tickets.view");
  const conditions = ticketConditions(filter, now);
  if (page.beforeId !== undefined) conditions.push({ id: { [Op.lt]: page.beforeId } });
  return deps.models.Ticket.findAll({
    where: tenantWhere(ctx, deps.models.Ticket, { [Op.and]: conditions }),
    include: ticketIncludes(deps),
    order: [["id", "DESC"]],
    limit: page.limit + 1,
  });
}

/** The board: per status column, the newest `perColumn` tickets matching the filter. */
export async function ticketBoard(
  deps: Deps,
  ctx: TenantContext,
  filter: Omit<TicketFilter, "status">,
  columns: readonly TicketStatus[],
  perColumn = 50,
  now = deps.clock.now(),
): Promise<Array<{ status: TicketStatus; tickets: Ticket[]; total: number }>> {
  authorize(ctx, "tickets.view");
  const result = [];
  for (const status of columns) {
    const where: WhereOptions = tenantWhere(ctx, deps.models.Ticket, {
      [Op.and]: [...ticketConditions({ ...filter, status }, now)],
    });
    const [tickets, total] = await Promise.all([
      deps.models.Ticket.findAll({
        where,
        include: ticketIncludes(deps),
        order: [["id", "DESC"]],
        limit: perColumn,
      }),
      deps.models.Ticket.count({ where }),
    ]);
    result.push({ status, tickets, total });
  }
  return result;
}

/** One ticket of the current business (404 otherwise), with its assignee and customer. */
export async function loadTicket(deps: Deps, ctx: TenantContext, id: unknown): Promise<Ticket> {
  authorize(ctx, "tickets.view");
  return findInBusiness(ctx, deps.models.Ticket, id, { include: ticketIncludes(deps) });
}

/** A ticket's thread, oldest first; keyset-paged on id for the API. */
export async function ticketMessages(
  deps: Deps,
  ctx: TenantContext,
  ticket: Pick<Ticket, "id">,
  page: { limit: number; afterId?: number } = { limit: 500 },
): Promise<TicketMessage[]> {
  authorize(ctx, "tickets.view");
  return deps.models.TicketMessage.findAll({
    where: tenantWhere(ctx, deps.models.TicketMessage, {
      ticketId: ticket.id,
      ...(page.afterId !== undefined ? { id: { [Op.gt]: page.afterId } } : {}),
    }),
    include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
    order: [["id", "ASC"]],
    limit: page.limit + 1,
  });
}

/** A ticket's timeline, oldest first. */
export async function ticketTimeline(
  deps: Deps,
  ctx: TenantContext,
  ticket: Pick<Ticket, "id">,
): Promise<TicketEvent[]> {
  authorize(ctx, "tickets.view");
  return deps.models.TicketEvent.findAll({
    where: tenantWhere(ctx, deps.models.TicketEvent, { ticketId: ticket.id }),
    include: [{ model: deps.models.User, as: "actor", attributes: ["id", "name"] }],
    order: [["id", "ASC"]],
    limit: 500,
  });
}

/** Members a ticket can be assigned to: those whose role works tickets, by name. */
export function ticketAgents(deps: Deps, ctx: TenantContext): Promise<MemberChoice[]> {
  return membersWhoMay(deps, ctx, "tickets.manage");
}
