import { createDeal, deleteDeal, loadDeal, moveDeal, updateDeal } from "../../commands/deals/deals";
import { listDeals } from "../../commands/deals/list";
import { listPipelines } from "../../commands/deals/pipelines";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf } from "../../http/pagination";
import type { Deal } from "../../models";
import { presentDeal, presentPipeline } from "../../presenters/deals";
import type {
  apiCreateDealSchema,
  apiDealListSchema,
  apiMoveDealSchema,
  apiUpdateDealSchema,
  dealParams,
} from "./schema";

type OneDeal = { params: typeof dealParams; record: Deal };
type Deps = ApiCall["deps"];

const present = (deps: Deps, deal: Deal) =>
  presentDeal(deal, deps.clock.now(), deps.config.DEALS_STALE_DAYS);

/** GET /api/v1/pipelines: the business's pipelines with their stages (the default one made on first use). */
export async function pipelinesApi({ deps, ctx }: ApiCall) {
  const pipelines = await listPipelines(deps, ctx);
  return page(pipelines.map(presentPipeline), null, `${pipelines.length} pipeline(s).`);
}

/** GET /api/v1/deals: filters, newest first, by cursor (sales: their own deals only). */
export async function listApi({ deps, ctx, query }: ApiCall<{ query: typeof apiDealListSchema }>) {
  const { cursor, limit, ...filter } = query;
  const beforeId = cursor ? decodeCursor(idPosition, cursor).id : undefined;
  const rows = await listDeals(deps, ctx, filter, { limit, beforeId });
  const { rows: items, nextCursor } = pageOf(rows, limit, (last) => ({ id: last.id }));
  return page(
    items.map((deal) => present(deps, deal)),
    nextCursor,
    `${items.length} deal(s).`,
  );
}

/** POST /api/v1/deals */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof apiCreateDealSchema }>) {
  const deal = await createDeal(deps, ctx, body);
  return reply(present(deps, deal), "Deal created.", {
    status: 201,
    location: `/api/v1/deals/${deal.id}`,
  });
}

/** GET /api/v1/deals/:dealId */
export function showApi({ deps, record }: ApiCall<OneDeal>) {
  return reply(present(deps, record), "Deal.");
}

/** PATCH /api/v1/deals/:dealId */
export async function updateApi({
  deps,
  ctx,
  body,
  record,
}: ApiCall<OneDeal & { body: typeof apiUpdateDealSchema }>) {
  const deal = await updateDeal(deps, ctx, record, body);
  return reply(present(deps, await loadDeal(deps, ctx, deal.id)), "Deal updated.");
}

/** POST /api/v1/deals/:dealId/stage */
export async function moveApi({
  deps,
  ctx,
  body,
  record,
}: ApiCall<OneDeal & { body: typeof apiMoveDealSchema }>) {
  const deal = await moveDeal(deps, ctx, record, body.stageId, body.reason);
  return reply(present(deps, await loadDeal(deps, ctx, deal.id)), "Deal moved.");
}

/** DELETE /api/v1/deals/:dealId */
export async function deleteApi({ deps, ctx, record }: ApiCall<OneDeal>) {
  await deleteDeal(deps, ctx, record);
  return reply({ id: record.id }, "Deal deleted.");
}
