import type { z } from "zod";
import { boardColumns, listDeals, stageTotals, type DealFilter } from "../../commands/deals/list";
import { listPipelines, pipelineStages } from "../../commands/deals/pipelines";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { csrfToken } from "../../middleware/csrf";
import { can, seesOnlyOwnRecords } from "../../policies/permissions";
import { presentDealRow, totalLabel } from "../../presenters/dealsViews";
import { dealOwners } from "./pages";
import type { dealFilterSchema } from "./schema";

type Query = z.output<typeof dealFilterSchema>;
/** Cards per column: the board reads one page per stage, never every deal. */
const perColumn = 25;
const listPage = 25;

function queryString(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** GET /deals: the board of a pipeline (the default one unless ?pipelineId), columns with totals. */
export async function showBoard({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof dealFilterSchema }>) {
  const pipelines = await listPipelines(deps, ctx);
  const pipeline = pipelines.find((p) => p.id === query.pipelineId) ?? pipelines[0]!;
  const stages = pipeline.stages ?? (await pipelineStages(deps, ctx, pipeline.id));
  const ownerId = typeof query.ownerId === "number" ? query.ownerId : undefined;
  const [columns, totals] = await Promise.all([
    boardColumns(deps, ctx, stages, perColumn, ownerId),
    stageTotals(deps, ctx, pipeline.id),
  ]);
  const now = deps.clock.now();
  const staleDays = deps.config.DEALS_STALE_DAYS;
  const count = [...totals.values()].reduce((sum, t) => sum + t.count, 0);
  res.render("deals/board", {
    title: "Deals",
    csrfToken: csrfToken(req),
    pipeline: { id: pipeline.id, name: pipeline.name },
    pipelines: pipelines.map((p) => ({ id: p.id, name: p.name, current: p.id === pipeline.id })),
    manyPipelines: pipelines.length > 1,
    empty: count === 0,
    canManage: can(ctx.membership.role, "deals.manage"),
    canSetUp: can(ctx.membership.role, "pipelines.manage"),
    ownOnly: seesOnlyOwnRecords(ctx.membership.role),
    columns: stages.map((stage) => {
      const deals = columns.get(stage.id) ?? [];
      const total = totals.get(stage.id);
      return {
        id: stage.id,
        name: stage.name,
        probability: stage.probability,
        count: total?.count ?? 0,
        total: totalLabel(total),
        deals: deals.map((d) => presentDealRow(d, stages, now, staleDays)),
        more: Math.max(0, (total?.count ?? 0) - deals.length),
        moreUrl: `/deals/list${queryString({ stageId: stage.id })}`,
      };
    }),
  });
}

async function renderList(
  call: Pick<PageCall, "req" | "res" | "deps" | "ctx">,
  query: Partial<Query>,
  filterErrors: string[],
) {
  const { req, res, deps, ctx } = call;
  const filter: DealFilter = {
    stageId: query.stageId,
    ownerId: query.ownerId,
    stale: query.stale,
    customerId: query.customerId,
  };
  const pipelines = await listPipelines(deps, ctx);
  const stages = pipelines.flatMap((p) => p.stages ?? []);
  const rows = await listDeals(deps, ctx, filter, { limit: listPage, beforeId: query.before });
  const more = rows.length > listPage;
  const deals = rows.slice(0, listPage);
  const now = deps.clock.now();
  const owners = await dealOwners(deps, ctx);
  const kept = {
    stageId: query.stageId,
    ownerId: query.ownerId,
    stale: query.stale ? "true" : undefined,
    customerId: query.customerId,
  };
  const filtered = Object.values(kept).some((v) => v !== undefined);
  res.status(filterErrors.length ? 422 : 200).render("deals/index", {
    title: "Deals",
    csrfToken: csrfToken(req),
    deals: deals.map((d) => presentDealRow(d, stages, now, deps.config.DEALS_STALE_DAYS)),
    filterErrors,
    filtered,
    canManage: can(ctx.membership.role, "deals.manage"),
    stageOptions: [
      { value: "", label: "Any stage", selected: query.stageId === undefined },
      ...stages.map((s) => ({
        value: String(s.id),
        label: s.name,
        selected: s.id === query.stageId,
      })),
    ],
    ownerOptions: seesOnlyOwnRecords(ctx.membership.role)
      ? null
      : [
          { value: "", label: "Anyone", selected: query.ownerId === undefined },
          { value: "none", label: "Nobody", selected: query.ownerId === "none" },
          ...owners.map((o) => ({
            value: String(o.id),
            label: o.name,
            selected: o.id === query.ownerId,
          })),
        ],
    staleChecked: Boolean(query.stale),
    staleDays: deps.config.DEALS_STALE_DAYS,
    next: more
      ? `/deals/list${queryString({ ...kept, before: deals[deals.length - 1]!.id })}`
      : null,
    first: query.before ? `/deals/list${queryString(kept)}` : null,
  });
}

/** GET /deals/list: every deal the member may see, newest first, with filters. */
export function showList(call: PageCall<{ query: typeof dealFilterSchema }>) {
  return renderList(call, call.query, []);
}

/** Filters that could not be read: the unfiltered list, saying why. */
export function renderFilterFailure(call: PageFormCall, failure: FormFailure) {
  return renderList(call, {}, Object.values(failure.errors).map(String));
}
