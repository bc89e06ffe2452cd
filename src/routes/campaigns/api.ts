import { listCampaigns, loadCampaign } from "../../commands/campaigns/list";
import { campaignResults } from "../../commands/campaigns/results";
import { createCampaign, deleteCampaign, updateCampaign } from "../../commands/campaigns/writes";
import type { Deps } from "../../deps";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf } from "../../http/pagination";
import type { Campaign } from "../../models";
import { presentCampaign } from "../../presenters/campaigns";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type {
  apiCampaignListSchema,
  apiCreateCampaignSchema,
  apiUpdateCampaignSchema,
  campaignParams,
} from "./schema";

type OneCampaign = { params: typeof campaignParams; record: Campaign };

async function present(deps: Deps, ctx: TenantContext, campaign: Campaign) {
  const results = await campaignResults(deps, ctx, [campaign]);
  return presentCampaign(campaign, results.get(campaign.id)!);
}

/** GET /api/v1/campaigns: the page's filters, newest first, by cursor, each with its results. */
export async function listApi({
  deps,
  ctx,
  query,
}: ApiCall<{ query: typeof apiCampaignListSchema }>) {
  const { cursor, limit, ...filter } = query;
  const beforeId = cursor ? decodeCursor(idPosition, cursor).id : undefined;
  const rows = await listCampaigns(deps, ctx, filter, { limit, beforeId });
  const { rows: items, nextCursor } = pageOf(rows, limit, (last) => ({ id: last.id }));
  // The team of the page's campaigns in one query, for teamIds.
  const members = items.length
    ? await deps.models.CampaignMember.findAll({
        where: tenantWhere(ctx, deps.models.CampaignMember, {
          campaignId: items.map((c) => c.id),
        }),
        order: [["id", "ASC"]],
      })
    : [];
  for (const item of items) item.members = members.filter((m) => m.campaignId === item.id);
  const results = await campaignResults(deps, ctx, items);
  return page(
    items.map((c) => presentCampaign(c, results.get(c.id)!)),
    nextCursor,
    `${items.length} campaign(s).`,
  );
}

/** POST /api/v1/campaigns */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof apiCreateCampaignSchema }>) {
  const campaign = await createCampaign(deps, ctx, body);
  const created = await loadCampaign(deps, ctx, campaign.id);
  return reply(await present(deps, ctx, created), "Campaign created.", {
    status: 201,
    location: `/api/v1/campaigns/${campaign.id}`,
  });
}

/** GET /api/v1/campaigns/:campaignId */
export async function showApi({ deps, ctx, record }: ApiCall<OneCampaign>) {
  return reply(await present(deps, ctx, record), "Campaign.");
}

/** PATCH /api/v1/campaigns/:campaignId: reloaded after, so the owner and team follow their ids. */
export async function updateApi({
  deps,
  ctx,
  body,
  record,
}: ApiCall<OneCampaign & { body: typeof apiUpdateCampaignSchema }>) {
  await updateCampaign(deps, ctx, record, body);
  const updated = await loadCampaign(deps, ctx, record.id);
  return reply(await present(deps, ctx, updated), "Campaign updated.");
}

/** DELETE /api/v1/campaigns/:campaignId */
export async function deleteApi({ deps, ctx, record }: ApiCall<OneCampaign>) {
  await deleteCampaign(deps, ctx, record);
  return reply({ id: record.id }, "Campaign deleted.");
}
