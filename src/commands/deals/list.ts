import { fn, col, Op } from "sequelize";
import type { Deps } from "../../deps";
import type { Deal, PipelineStage } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { dealIncludes } from "./deals";
import { stageIdsOfKind } from "./pipelines";

export interface DealFilter {
  pipelineId?: number;
  stageId?: number;
  /** A member's id, or "none" for deals nobody owns. */
  ownerId?: number | "none";
  stale?: boolean;
  customerId?: number;
}

/** The instant before which an open deal's last activity makes it stale. */
export function staleBefore(deps: Pick<Deps, "clock" | "config">): Date {
  return new Date(deps.clock.nowMs() - deps.config.DEALS_STALE_DAYS * 86_400_000);
}

async function dealConditions(
  deps: Pick<Deps, "models" | "clock" | "config">,
  ctx: TenantContext,
  filter: DealFilter,
): Promise<Record<string | symbol, unknown>> {
  const where: Record<string | symbol, unknown> = {};
  const and: Record<string | symbol, unknown>[] = [];
  if (filter.pipelineId !== undefined) where.pipelineId = filter.pipelineId;
  if (filter.stageId !== undefined) where.stageId = filter.stageId;
  if (filter.ownerId === "none") where.ownerId = null;
  else if (filter.ownerId !== undefined) where.ownerId = filter.ownerId;
  if (filter.customerId !== undefined) where.customerId = filter.customerId;
  if (filter.stale) {
    const open = await stageIdsOfKind(deps, ctx, ["open"]);
    and.push({ stageId: { [Op.in]: open } }, { lastActivityAt: { [Op.lte]: staleBefore(deps) } });
  }
  if (and.length) where[Op.and] = and;
  return where;
}

/** Deals the member may see, newest first, after `beforeId` (keyset paging). */
export async function listDeals(
  deps: Pick<Deps, "models" | "clock" | "config">,
  ctx: TenantContext,
  filter: DealFilter,
  page: { limit: number; beforeId?: number },
): Promise<Deal[]> {
  const where = await dealConditions(deps, ctx, filter);
  if (page.beforeId !== undefined) where.id = { [Op.lt]: page.beforeId };
  return deps.models.Deal.findAll({
    where: tenantWhere(ctx, deps.models.Deal, where),
    include: dealIncludes(deps),
    order: [["id", "DESC"]],
    limit: page.limit + 1,
  });
}

export interface StageTotal {
  stageId: number;
  count: number;
  /** Sum of amounts per currency (minor units), currencies in alphabetical order. */
  amounts: Array<{ currency: string; amountMinor: number }>;
}

/**
 * Per stage of a pipeline: how many deals and the sum of their amounts per currency (amounts in
 * different currencies are never added together). Only the deals the member may see count.
 */
export async function stageTotals(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  pipelineId: number,
): Promise<Map<number, StageTotal>> {
  const rows = (await deps.models.Deal.findAll({
    attributes: [
      "stageId",
      "currency",
      [fn("COUNT", col("id")), "dealCount"],
      [fn("SUM", col("amount_minor")), "amountSum"],
    ],
    where: tenantWhere(ctx, deps.models.Deal, { pipelineId }),
    group: ["stageId", "currency"],
    order: [["currency", "ASC"]],
    raw: true,
  })) as unknown as Array<{
    stageId: number;
    currency: string;
    dealCount: number | string;
    amountSum: number | string | null;
  }>;
  const totals = new Map<number, StageTotal>();
  for (const row of rows) {
    const total = totals.get(row.stageId) ?? { stageId: row.stageId, count: 0, amounts: [] };
    total.count += Number(row.dealCount);
    total.amounts.push({ currency: row.currency, amountMinor: Number(row.amountSum ?? 0) });
    totals.set(row.stageId, total);
  }
  return totals;
}

/**
 * The board's columns: each stage's newest `perColumn` deals (columns paginate: a board of
 * thousands of deals reads one page per stage, not every deal).
 */
export async function boardColumns(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  stages: PipelineStage[],
  perColumn: number,
  ownerId?: number,
): Promise<Map<number, Deal[]>> {
  const columns = await Promise.all(
    stages.map((stage) =>
      deps.models.Deal.findAll({
        where: tenantWhere(ctx, deps.models.Deal, {
          stageId: stage.id,
          ...(ownerId !== undefined ? { ownerId } : {}),
        }),
        include: dealIncludes(deps),
        order: [["id", "DESC"]],
        limit: perColumn,
      }),
    ),
  );
  return new Map(stages.map((stage, i) => [stage.id, columns[i] ?? []]));
}
