import type { Request, Response } from "express";
import { leadBoard, leadOwners, listLeadRows, type LeadFilter } from "../../commands/leads/list";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { csrfToken } from "../../middleware/csrf";
import { contextLeadStages, type LeadStageInfo } from "../../commands/leads/stages";
import { can } from "../../policies/permissions";
import { leadFilterView, leadListUrl } from "../../presenters/leadsViews";
import type { TenantContext } from "../../tenancy/context";
import { boardCardPresenter, listRowPresenter } from "./listRow";
import type { leadFilterSchema } from "./schema";

/** The filter's stage choices from the business's own list. */
function stageFilter(stages: readonly LeadStageInfo[], chosen: string | undefined) {
  return [
    { value: "", label: "Any stage", selected: !chosen },
    ...stages.map((s) => ({ value: s.code, label: s.name, selected: s.code === chosen })),
  ];
}

export const leadPageSize = 25;
/** Cards per Kanban column; the rest are behind the column's "more" link (the filtered list). */
export const leadBoardColumn = 25;

async function renderList(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  filter: LeadFilter & { before?: number },
  errors: string[] = [],
) {
  let filterErrors = errors;
  const { before, ...only } = filter;
  const stages = await contextLeadStages(deps, ctx);
  if (only.stage !== undefined && !stages.some((s) => s.code === only.stage)) {
    // An unknown stage is a bad filter: every lead, with the reason above the list.
    filterErrors = [...filterErrors, "Choose one of the stages in the list."];
    only.stage = undefined;
  }
  const rows = await listLeadRows(deps, ctx, only, { limit: leadPageSize, beforeId: before });
  const role = ctx.membership.role;
  const shown = rows.slice(0, leadPageSize);
  const last = shown[shown.length - 1];
  const filtered = leadListUrl(only) !== "/leads";
  res.status(filterErrors.length ? 422 : 200).render("leads/index", {
    title: "Leads",
    csrfToken: csrfToken(req),
    filterErrors,
    leads: shown.map(listRowPresenter(stages)),
    next: rows.length > leadPageSize && last ? leadListUrl({ ...only, before: last.id }) : null,
    first: before ? leadListUrl(only) : null,
    boardUrl: leadListUrl({ ...only, stage: undefined }, "/leads/board"),
    filtered,
    filtersActive: filterErrors.length > 0 || filtered,
    canManage: can(role, "leads.manage"),
    // Nurture: tick leads, then plan their follow-up tasks (needs tasks too).
    canNurture: can(role, "leads.manage") && can(role, "tasks.manage"),
    canConfigure: can(role, "pipelines.manage"),
    ...leadFilterView(only, await leadOwners(deps, ctx)),
    stageOptions: stageFilter(stages, only.stage),
  });
}

/** GET /leads: the filtered list, newest first, 25 a page. */
export function showLeads({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof leadFilterSchema }>) {
  return renderList(req, res, deps, ctx, query);
}

/** Filters that do not parse: the whole list, with what was wrong above it (422). */
export function renderFilterFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderList(req, res, deps, ctx, {}, Object.values(failure.errors));
}

/** GET /leads/board: a column per stage; a card moves by its own small form (no script). */
export async function showBoard({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof leadFilterSchema }>) {
  const { before: _before, stage: _stage, ...filter } = query;
  const stages = await contextLeadStages(deps, ctx);
  const columns = await leadBoard(
    deps,
    ctx,
    filter,
    stages.map((s) => s.code),
    leadBoardColumn,
  );
  const card = boardCardPresenter(stages);
  res.render("leads/board", {
    title: "Lead board",
    csrfToken: csrfToken(req),
    columns: columns.map((column, index) => ({
      stage: column.stage,
      label: stages[index]!.name,
      // Converted is reached by converting: the board takes no drops there.
      accepts: stages[index]!.kind !== "converted",
      total: column.total,
      more: column.total - column.leads.length,
      moreUrl: leadListUrl({ ...filter, stage: column.stage }),
      leads: column.leads.map(card),
    })),
    listUrl: leadListUrl(filter),
    canManage: can(ctx.membership.role, "leads.manage"),
    empty: columns.every((column) => column.total === 0),
    filtered: leadListUrl(filter) !== "/leads",
    canConfigure: can(ctx.membership.role, "pipelines.manage"),
    ...leadFilterView(filter, await leadOwners(deps, ctx)),
  });
}
