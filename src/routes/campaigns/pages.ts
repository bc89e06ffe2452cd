import type { Request, Response } from "express";
import {
  campaignPeople,
  hasCampaigns,
  listCampaigns,
  loadCampaign as findCampaign,
  type CampaignFilter,
} from "../../commands/campaigns/list";
import { campaignResults } from "../../commands/campaigns/results";
import { createCampaign, deleteCampaign, updateCampaign } from "../../commands/campaigns/writes";
import type { CampaignChanges } from "../../commands/campaigns/input";
import { defaultCurrency } from "../../commands/deals/input";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Campaign } from "../../models";
import {
  campaignFilterView,
  campaignFormValues,
  campaignFormView,
  campaignListUrl,
  presentCampaignRow,
} from "../../presenters/campaigns";
import type { TenantContext } from "../../tenancy/context";
import type { campaignFilterSchema, campaignFormFor, campaignParams } from "./schema";

type Values = Record<string, unknown>;
type OneCampaign = { params: typeof campaignParams; record: Campaign };
type Deps = PageCall["deps"];
type CampaignForm = ReturnType<typeof campaignFormFor>;

export const campaignPageSize = 25;

/** The campaign a path names, with its owner and team (404 in another business). */
export function loadCampaign({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { campaignId: number }>) {
  return findCampaign(deps, ctx, params.campaignId);
}

async function renderList(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  filter: CampaignFilter & { before?: number },
  filterErrors: string[] = [],
) {
  const { before, ...only } = filter;
  const rows = await listCampaigns(deps, ctx, only, {
    limit: campaignPageSize,
    beforeId: before,
  });
  const shown = rows.slice(0, campaignPageSize);
  const last = shown[shown.length - 1];
  const results = await campaignResults(deps, ctx, shown);
  const filtered = campaignListUrl(only) !== "/campaigns";
  // An empty page after filters or paging is not an empty business: say the right thing.
  const none =
    shown.length === 0 && !filtered && !before ? !(await hasCampaigns(deps, ctx)) : false;
  res.status(filterErrors.length ? 422 : 200).render("campaigns/index", {
    title: "Campaigns",
    csrfToken: csrfToken(req),
    filterErrors,
    campaigns: shown.map((c) => presentCampaignRow(c, results.get(c.id)!)),
    next:
      rows.length > campaignPageSize && last ? campaignListUrl({ ...only, before: last.id }) : null,
    first: before ? campaignListUrl(only) : null,
    filtered,
    none,
    filtersActive: filterErrors.length > 0 || filtered,
    ...campaignFilterView(only, await campaignPeople(deps, ctx)),
  });
}

/** GET /campaigns: the filtered list with each campaign's results, newest first. */
export function showCampaigns({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof campaignFilterSchema }>) {
  return renderList(req, res, deps, ctx, query);
}

/** Filters that do not parse: the whole list, with what was wrong above it (422). */
export function renderFilterFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderList(req, res, deps, ctx, {}, Object.values(failure.errors));
}

async function renderForm(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: { campaign?: Campaign; values: Values; errors?: FieldErrors; status?: number },
) {
  const { campaign, values } = options;
  const heading = campaign ? `Edit ${campaign.name}` : "New campaign";
  res.status(options.status ?? 200).render("campaigns/form", {
    title: heading,
    heading,
    action: campaign ? `/campaigns/${campaign.id}` : "/campaigns",
    campaign: campaign ? { id: campaign.id } : null,
    csrfToken: csrfToken(req),
    values,
    errors: options.errors ?? {},
    cancelUrl: campaign ? `/campaigns/${campaign.id}` : "/campaigns",
    ...campaignFormView(values, await campaignPeople(deps, ctx)),
  });
}

/** A form that did not save comes back as typed, with every field's error beside it. */
export function renderCampaignFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Campaign | undefined }>,
  failure: FormFailure,
) {
  return renderForm(req, res, deps, ctx, {
    campaign: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** GET /campaigns/new */
export async function showNew({ req, res, deps, ctx }: PageCall) {
  await renderForm(req, res, deps, ctx, {
    values: {
      channel: "email",
      status: "planned",
      priority: "medium",
      currency: defaultCurrency(ctx),
      ownerId: String(ctx.user.id),
    },
  });
}

/** POST /campaigns */
export async function create({ deps, ctx, body }: PageCall<{ body: CampaignForm }>) {
  const campaign = await createCampaign(deps, ctx, body);
  return redirect(`/campaigns/${campaign.id}`, `Campaign ${campaign.name} created.`);
}

/** GET /campaigns/:campaignId/edit */
export async function showEdit({ req, res, deps, ctx, record }: PageCall<OneCampaign>) {
  await renderForm(req, res, deps, ctx, { campaign: record, values: campaignFormValues(record) });
}

/** POST /campaigns/:campaignId: the edit form sends every field, so blanks clear. */
export async function update({
  deps,
  ctx,
  body,
  record,
}: PageCall<OneCampaign & { body: CampaignForm }>) {
  const nulls: CampaignChanges = {
    objective: null,
    audience: null,
    productLine: null,
    startsOn: null,
    endsOn: null,
    plannedLeads: null,
    reportedLeads: null,
    ownerId: null,
    externalId: null,
    utmCampaign: null,
  };
  await updateCampaign(deps, ctx, record, { ...nulls, ...body });
  return redirect(`/campaigns/${record.id}`, `Campaign ${record.name} saved.`);
}

/** GET /campaigns/:campaignId: the plan, the checklist and the results. */
export async function showCampaign({ req, res, deps, ctx, record }: PageCall<OneCampaign>) {
  const results = await campaignResults(deps, ctx, [record]);
  res.render("campaigns/show", {
    title: record.name,
    csrfToken: csrfToken(req),
    campaign: presentCampaignRow(record, results.get(record.id)!),
  });
}

/** GET /campaigns/:campaignId/delete: the confirmation. */
export function confirmDelete({ req, res, record }: PageCall<OneCampaign>) {
  res.render("campaigns/confirm-delete", {
    title: `Delete ${record.name}?`,
    csrfToken: csrfToken(req),
    campaign: { id: record.id, name: record.name },
  });
}

/** POST /campaigns/:campaignId/delete */
export async function remove({ deps, ctx, record }: PageCall<OneCampaign>) {
  await deleteCampaign(deps, ctx, record);
  return redirect("/campaigns", `Campaign ${record.name} deleted.`);
}
