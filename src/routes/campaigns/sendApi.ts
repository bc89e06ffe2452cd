import {
  cancelSend,
  pauseSend,
  resumeSend,
  scheduleSend,
} from "../../commands/campaigns/lifecycle";
import { listRecipients } from "../../commands/campaigns/recipients";
import { statusCounts } from "../../commands/campaigns/sendStats";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, encodeCursor, idPosition } from "../../http/pagination";
import type { Campaign } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import type { Deps } from "../../deps";
import type { campaignParams } from "./schema";
import type { apiSendSchema, recipientQuerySchema } from "./sendSchema";

type OneCampaign = { params: typeof campaignParams; record: Campaign };

async function sendStateOf(deps: Deps, ctx: TenantContext, campaign: Campaign) {
  return {
    id: campaign.id,
    sendState: campaign.sendState,
    scheduledAt: campaign.scheduledAt?.toISOString() ?? null,
    pausedReason: campaign.pausedReason,
    resumeAt: campaign.resumeAt?.toISOString() ?? null,
    counts: { ...(await statusCounts(deps, ctx, campaign.id)) },
  };
}

/** POST /api/v1/campaigns/:campaignId/send */
export async function sendApi({
  deps,
  ctx,
  body,
  record,
}: ApiCall<OneCampaign & { body: typeof apiSendSchema }>) {
  const sent = await scheduleSend(deps, ctx, record, body.at ? new Date(body.at) : null);
  const message = sent.sendState === "scheduled" ? "Campaign scheduled." : "Campaign sending.";
  return reply(await sendStateOf(deps, ctx, sent), message, { status: 202 });
}

const lifecycleApi =
  (work: typeof pauseSend, message: string) =>
  async ({ deps, ctx, record }: ApiCall<OneCampaign>) =>
    reply(await sendStateOf(deps, ctx, await work(deps, ctx, record)), message);

export const pauseApi = lifecycleApi(pauseSend, "Campaign paused.");
export const resumeApi = lifecycleApi(resumeSend, "Campaign resumed.");
export const cancelApi = lifecycleApi(cancelSend, "Campaign cancelled.");

/** GET /api/v1/campaigns/:campaignId/recipients (cursor paged, optional status). */
export async function recipientsApi({
  deps,
  ctx,
  query,
  record,
}: ApiCall<OneCampaign & { query: typeof recipientQuerySchema }>) {
  const after = query.cursor ? decodeCursor(idPosition, query.cursor).id : 0;
  const { rows, nextCursor } = await listRecipients(deps, ctx, record.id, {
    afterId: after,
    limit: query.limit,
    status: query.status,
  });
  return page(
    rows,
    nextCursor === null ? null : encodeCursor({ id: nextCursor }),
    `${rows.length} recipient(s).`,
  );
}
