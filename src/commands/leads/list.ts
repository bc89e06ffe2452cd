import { type MemberChoice, membersWhoMay } from "../members";
import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { Lead, LeadEvent, LeadStage, LeadTemperature } from "../../models";
import { temperatureRanges } from "../../models/Lead";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";

export interface LeadFilter {
  stage?: LeadStage;
  temperature?: LeadTemperature;
  /** A member's id, or "none" for leads nobody owns. */
  ownerId?: number | "none";
  source?: string;
  /** Words of the name or company, an e-mail, or digits of the phone. */
  q?: string;
}

/** Typed wildcards are dropped (SQLite has no default LIKE escape). */
const likeSafe = (text: string) => text.replace(/[\\%_]/g, "");

/**
 * The search box: an e-mail (has @) matches e-mails starting with it; mostly digits match the
 * phone's digits; anything else matches the start of the first name, last name or company.
 */
function searchCondition(q: string): Record<string | symbol, unknown> {
  const text = likeSafe(q.trim());
  if (text.includes("@")) return { email: { [Op.like]: `${text.toLowerCase()}%` } };
  const digits = text.replace(/[\s()+-]/g, "");
  if (/^\d{4,}$/.test(digits)) return { phoneE164: { [Op.like]: `%${digits}%` } };
  const start = `${text}%`;
  return {
    [Op.or]: [
      { firstName: { [Op.like]: start } },
      { lastName: { [Op.like]: start } },
      { company: { [Op.like]: start } },
    ],
  };
}

export function leadConditions(filter: LeadFilter): Record<string | symbol, unknown>[] {
  const conditions: Record<string | symbol, unknown>[] = [];
  if (filter.stage) conditions.push({ stage: filter.stage });
  if (filter.temperature) {
    const range = temperatureRanges[filter.temperature];
    conditions.push({ score: { [Op.between]: [range.min, range.max] } });
  }
  if (filter.ownerId === "none") conditions.push({ ownerId: null });
  else if (filter.ownerId !== undefined) conditions.push({ ownerId: filter.ownerId });
  if (filter.source) conditions.push({ source: filter.source });
  if (filter.q?.trim()) conditions.push(searchCondition(filter.q));
  return conditions;
}

const ownerInclude = (deps: Deps) => ({
  model: deps.models.User,
  as: "owner",
  attributes: ["id", "name"],
});

/**
 * One page of leads, newest first, keyset-paged on id (`beforeId`: the last id of the page
 * before). Reads `limit + 1` rows so the caller knows whether a next page exists.
 */
export async function listLeads(
  deps: Deps,
  ctx: TenantContext,
  filter: LeadFilter,
  page: { limit: number; beforeId?: number },
): Promise<Lead[]> {
  authorize(ctx, "leads.view");
  const conditions = leadConditions(filter);
  if (page.beforeId !== undefined) conditions.push({ id: { [Op.lt]: page.beforeId } });
  return deps.models.Lead.findAll({
    where: tenantWhere(ctx, deps.models.Lead, { [Op.and]: conditions }),
    include: [ownerInclude(deps)],
    order: [["id", "DESC"]],
    limit: page.limit + 1,
  });
}

/** The Kanban: per stage, the newest `perColumn` leads matching the filter, and how many in all. */
export async function leadBoard(
  deps: Deps,
  ctx: TenantContext,
  filter: Omit<LeadFilter, "stage">,
  stages: readonly LeadStage[],
  perColumn = 50,
): Promise<Array<{ stage: LeadStage; leads: Lead[]; total: number }>> {
  authorize(ctx, "leads.view");
  const result = [];
  for (const stage of stages) {
    const where = tenantWhere(ctx, deps.models.Lead, {
      [Op.and]: leadConditions({ ...filter, stage }),
    });
    const [leads, total] = await Promise.all([
      deps.models.Lead.findAll({
        where,
        include: [ownerInclude(deps)],
        order: [["id", "DESC"]],
        limit: perColumn,
      }),
      deps.models.Lead.count({ where }),
    ]);
    result.push({ stage, leads, total });
  }
  return result;
}

/** One lead the member can see (404 otherwise: another business, or a colleague's for sales). */
export async function loadLead(deps: Deps, ctx: TenantContext, id: unknown): Promise<Lead> {
  authorize(ctx, "leads.view");
  return findInBusiness(ctx, deps.models.Lead, id, { include: [ownerInclude(deps)] });
}

/** A lead's timeline, newest first. */
export async function leadTimeline(
  deps: Deps,
  ctx: TenantContext,
  lead: Pick<Lead, "id">,
): Promise<LeadEvent[]> {
  authorize(ctx, "leads.view");
  return deps.models.LeadEvent.findAll({
    where: tenantWhere(ctx, deps.models.LeadEvent, { leadId: lead.id }),
    include: [{ model: deps.models.User, as: "actor", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
    limit: 200,
  });
}

/** Members who may own leads (their role works leads), by name. */
export function leadOwners(deps: Deps, ctx: TenantContext): Promise<MemberChoice[]> {
  return membersWhoMay(deps, ctx, "leads.manage");
}
