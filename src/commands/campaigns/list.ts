import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { Campaign, CampaignChannel, CampaignStatus } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { membersWhoMay, type MemberChoice } from "../members";

export interface CampaignFilter {
  status?: CampaignStatus;
  channel?: CampaignChannel;
  /** A member's id, or "none" for campaigns nobody owns. */
  ownerId?: number | "none";
  /** The start of the name. */
  q?: string;
}

/** Typed wildcards are dropped (SQLite has no default LIKE escape). */
const likeSafe = (text: string) => text.replace(/[\\%_]/g, "");

function conditions(filter: CampaignFilter): Record<string | symbol, unknown>[] {
  const list: Record<string | symbol, unknown>[] = [];
  if (filter.status) list.push({ status: filter.status });
  if (filter.channel) list.push({ channel: filter.channel });
  if (filter.ownerId === "none") list.push({ ownerId: null });
  else if (filter.ownerId !== undefined) list.push({ ownerId: filter.ownerId });
  const q = filter.q ? likeSafe(filter.q.trim().toLowerCase()) : "";
  // name_key is the lower-cased name: a prefix match that the unique index serves.
  if (q) list.push({ nameKey: { [Op.like]: `${q}%` } });
  return list;
}

const ownerInclude = (deps: Deps) => ({
  model: deps.models.User,
  as: "owner",
  attributes: ["id", "name"],
});

/**
 * One page of campaigns, newest first, keyset-paged on id (`beforeId`: the last id of the page
 * before). Reads `limit + 1` rows so the caller knows whether a next page exists.
 */
export async function listCampaigns(
  deps: Deps,
  ctx: TenantContext,
  filter: CampaignFilter,
  page: { limit: number; beforeId?: number },
): Promise<Campaign[]> {
  authorize(ctx, "campaigns.manage");
  const list = conditions(filter);
  if (page.beforeId !== undefined) list.push({ id: { [Op.lt]: page.beforeId } });
  return deps.models.Campaign.findAll({
    where: tenantWhere(ctx, deps.models.Campaign, { [Op.and]: list }),
    include: [ownerInclude(deps)],
    order: [["id", "DESC"]],
    limit: page.limit + 1,
  });
}

/** Whether the business has any campaign at all (an empty list says how to start). */
export async function hasCampaigns(deps: Deps, ctx: TenantContext): Promise<boolean> {
  const one = await deps.models.Campaign.findOne({
    where: tenantWhere(ctx, deps.models.Campaign),
    attributes: ["id"],
  });
  return one !== null;
}

/** One campaign of the business with its owner and team (404 otherwise). */
export async function loadCampaign(deps: Deps, ctx: TenantContext, id: unknown): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  return findInBusiness(ctx, deps.models.Campaign, id, {
    include: [
      ownerInclude(deps),
      {
        model: deps.models.CampaignMember,
        as: "members",
        include: [{ model: deps.models.User, as: "user", attributes: ["id", "name"] }],
      },
    ],
    order: [[{ model: deps.models.CampaignMember, as: "members" }, "id", "ASC"]],
  });
}

/** Members who can own or be on a campaign: every member of the business, by name. */
export function campaignPeople(deps: Deps, ctx: TenantContext): Promise<MemberChoice[]> {
  return membersWhoMay(deps, ctx);
}
