import type { Request, Response } from "express";
import { leadBoard, leadOwners, listLeads, type LeadFilter } from "../../commands/leads/list";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { csrfToken } from "../../middleware/csrf";
import { leadStages } from "../../models/Lead";
import { can } from "../../policies/permissions";
import { leadStageLabels } from "../../presenters/leads";
import { leadFilterView, leadListUrl, presentLeadRow } from "../../presenters/leadsViews";
import type { TenantContext } from "../../tenancy/context";
import type { leadFilterSchema } from "./schema";

export const leadPageSize = 25;

async function renderList(
  req: Request,
  res: Response,
  deps: PageCall["deps"],
  ctx: TenantContext,
  filter: LeadFilter & { before?: number },
  filterErrors: string[] = [],
) {
  const { before, ...only } = filter;
  const rows = await listLeads(deps, ctx, only, { limit: leadPageSize, beforeId: before });
  const shown = rows.slice(0, leadPageSize);
  const last = shown[shown.length - 1];
  const filtered = leadListUrl(only) !== "/leads";
  res.status(filterErrors.length ? 422 : 200).render("leads/index", {
    title: "Leads",
    csrfToken: csrfToken(req),
    filterErrors,
    leads: shown.map((lead) => presentLeadRow(lead, ctx.business.timeZone)),
    next: rows.length > leadPageSize && last ? leadListUrl({ ...only, before: last.id }) : null,
    first: before ? leadListUrl(only) : null,
    boardUrl: leadListUrl({ ...only, stage: undefined }, "/leads/board"),
    filtered,
    filtersActive: filterErrors.length > 0 || filtered,
    canManage: can(ctx.membership.role, "leads.manage"),
    ...leadFilterView(only, await leadOwners(deps, ctx)),
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
  const columns = await leadBoard(deps, ctx, filter, leadStages, 50);
  res.render("leads/board", {
    title: "Lead board",
    csrfToken: csrfToken(req),
    columns: columns.map((column) => ({
      stage: column.stage,
      label: leadStageLabels[column.stage],
      total: column.total,
      more: column.total - column.leads.length,
      moreUrl: leadListUrl({ ...filter, stage: column.stage }),
      leads: column.leads.map((lead) => presentLeadRow(lead, ctx.business.timeZone)),
    })),
    listUrl: leadListUrl(filter),
    canManage: can(ctx.membership.role, "leads.manage"),
    empty: columns.every((column) => column.total === 0),
    filtered: leadListUrl(filter) !== "/leads",
    ...leadFilterView(filter, await leadOwners(deps, ctx)),
  });
}
