import { customerChoices } from "../../commands/customers/choices";
import { type MemberChoice, membersWhoMay } from "../../commands/members";
import type { Request, Response } from "express";
import {
  createDeal,
  dealTimeline,
  deleteDeal,
  loadDeal as findDeal,
  moveDeal,
  updateDeal,
} from "../../commands/deals/deals";
import { checkCurrency, defaultCurrency, type DealChanges } from "../../commands/deals/input";
import { amountInput, parseAmount } from "../../commands/deals/money";
import { ensureDefaultPipeline, pipelineStages } from "../../commands/deals/pipelines";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Deal } from "../../models";
import { can } from "../../policies/permissions";
import { mayAssignOwners } from "../../policies/customers";
import { presentDealEvent, presentDealRow } from "../../presenters/dealsViews";
import type { TenantContext } from "../../tenancy/context";
import type { dealFormSchema, dealParams, moveFormSchema, newDealQuery } from "./schema";

type Values = Record<string, unknown>;
type OneDeal = { params: typeof dealParams; record: Deal };
type Deps = PageCall["deps"];

/** The deal a path names, with its stage, customer and owner (404 elsewhere or not the member's). */
export function loadDeal({ deps, ctx, params }: LoadCall<TenantContext, { dealId: number }>) {
  return findDeal(deps, ctx, params.dealId);
}

/** Members a deal can be given to: those whose role works deals. */
export function dealOwners(deps: Deps, ctx: TenantContext): Promise<MemberChoice[]> {
  return membersWhoMay(deps, ctx, "deals.manage");
}

async function customerOptions(deps: Deps, ctx: TenantContext, selected: unknown) {
  const wanted = selected === undefined || selected === null ? "" : String(selected);
  const choices = await customerChoices(deps, ctx, selected);
  return [
    { value: "", label: "No customer" },
    ...choices.map((c) => ({ value: String(c.id), label: c.name })),
  ].map((o) => ({ ...o, selected: o.value === wanted }));
}

const selectOf = (items: Array<{ value: string; label: string }>, selected: unknown) =>
  items.map((o) => ({ ...o, selected: o.value === String(selected ?? "") }));

async function renderForm(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: { deal?: Deal; values: Values; errors?: FieldErrors; status?: number },
) {
  const { deal, values } = options;
  const pipeline = await ensureDefaultPipeline(deps, ctx.business.id);
  const stages = await pipelineStages(deps, ctx, deal?.pipelineId ?? pipeline.id);
  const owners = await dealOwners(deps, ctx);
  res.status(options.status ?? 200).render("deals/form", {
    title: deal ? `Edit ${deal.title}` : "New deal",
    heading: deal ? `Edit ${deal.title}` : "New deal",
    action: deal ? `/deals/${deal.id}` : "/deals",
    deal: deal ? { id: deal.id } : null,
    csrfToken: csrfToken(req),
    values,
    errors: options.errors ?? {},
    cancelUrl: deal ? `/deals/${deal.id}` : "/deals",
    stageOptions: selectOf(
      stages.map((s) => ({ value: String(s.id), label: s.name })),
      values.stageId,
    ),
    ownerOptions: mayAssignOwners(ctx)
      ? selectOf(
          [
            { value: "", label: "Nobody" },
            ...owners.map((o) => ({ value: String(o.id), label: o.name })),
          ],
          values.ownerId,
        )
      : null,
    customerOptions: await customerOptions(deps, ctx, values.customerId),
  });
}

export function renderDealFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Deal | undefined }>,
  failure: FormFailure,
) {
  return renderForm(req, res, deps, ctx, {
    deal: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** GET /deals/new (?customerId= from the customer page preselects the customer). */
export async function showNew({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof newDealQuery }>) {
  await renderForm(req, res, deps, ctx, {
    values: {
      currency: defaultCurrency(ctx),
      ownerId: ctx.user.id,
      customerId: query.customerId ?? "",
    },
  });
}

/** The form's fields as the commands take them: the amount converted to minor units. */
function fieldsOf(
  body: {
    title: string;
    amount?: string;
    currency?: string;
    expectedCloseOn?: string;
    stageId?: number | null;
    ownerId?: number | null;
    customerId?: number | null;
    reason?: string;
  },
  fallbackCurrency: string,
): DealChanges & { title: string } {
  const currency = body.currency ? checkCurrency(body.currency) : fallbackCurrency;
  const amountMinor = body.amount === undefined ? 0 : parseAmount(body.amount, currency);
  if (amountMinor === null)
    throw AppError.validation({
      amount:
        "Enter an amount such as 150000 or 1,50,000.50 (no more decimals than the currency has).",
    });
  return {
    title: body.title,
    amountMinor,
    currency,
    expectedCloseOn: body.expectedCloseOn ?? null,
    ...(body.stageId ? { stageId: body.stageId } : {}),
    ...(body.ownerId !== undefined ? { ownerId: body.ownerId } : {}),
    customerId: body.customerId ?? null,
    reason: body.reason ?? null,
  };
}

/** POST /deals */
export async function create({ deps, ctx, body }: PageCall<{ body: typeof dealFormSchema }>) {
  const deal = await createDeal(deps, ctx, fieldsOf(body, defaultCurrency(ctx)));
  return redirect(`/deals/${deal.id}`, `Deal "${deal.title}" created.`);
}

/** GET /deals/:dealId/edit */
export async function showEdit({ req, res, deps, ctx, record: deal }: PageCall<OneDeal>) {
  await renderForm(req, res, deps, ctx, {
    deal,
    values: {
      title: deal.title,
      amount: amountInput(deal.amountMinor, deal.currency),
      currency: deal.currency,
      expectedCloseOn: deal.expectedCloseOn ?? "",
      stageId: deal.stageId,
      ownerId: deal.ownerId ?? "",
      customerId: deal.customerId ?? "",
      reason: deal.reason ?? "",
    },
  });
}

/** POST /deals/:dealId */
export async function update({
  deps,
  ctx,
  body,
  record: deal,
}: PageCall<OneDeal & { body: typeof dealFormSchema }>) {
  await updateDeal(deps, ctx, deal, fieldsOf(body, deal.currency));
  return redirect(`/deals/${deal.id}`, `Deal "${body.title}" saved.`);
}

/** GET /deals/:dealId: details, the move form and the timeline. */
export async function showDeal({ req, res, deps, ctx, record: deal }: PageCall<OneDeal>) {
  const zone = ctx.business.timeZone;
  const [stages, events, owners] = await Promise.all([
    pipelineStages(deps, ctx, deal.pipelineId),
    dealTimeline(deps, ctx, deal),
    dealOwners(deps, ctx),
  ]);
  const names = new Map(owners.map((o) => [o.id, o.name]));
  res.render("deals/show", {
    title: deal.title,
    csrfToken: csrfToken(req),
    deal: presentDealRow(deal, stages, deps.clock.now(), deps.config.DEALS_STALE_DAYS),
    staleDays: deps.config.DEALS_STALE_DAYS,
    timeline: events.map((e) => presentDealEvent(e, zone, names)),
    canManage: can(ctx.membership.role, "deals.manage"),
  });
}

/** POST /deals/:dealId/stage: a move from the board, the list or the deal page. */
export async function move({
  deps,
  ctx,
  body,
  record: deal,
}: PageCall<OneDeal & { body: typeof moveFormSchema }>) {
  const moved = await moveDeal(deps, ctx, deal, body.stageId, body.reason ?? null);
  const back =
    body.from === "board"
      ? `/deals?pipelineId=${deal.pipelineId}`
      : body.from === "list"
        ? "/deals/list"
        : `/deals/${deal.id}`;
  return redirect(back, `"${deal.title}" is now in ${moved.stage?.name ?? "its new stage"}.`);
}

/** Where a refused move goes back to, with the reason as the flash. */
export function moveBack({ req, record }: PageFormCall<{ record: Deal }>) {
  const from = (req.body as { from?: unknown } | undefined)?.from;
  return from === "board" ? "/deals" : from === "list" ? "/deals/list" : `/deals/${record.id}`;
}

/** GET /deals/:dealId/delete: asks first. */
export function confirmDelete({ req, res, record: deal }: PageCall<OneDeal>) {
  res.render("deals/confirm-delete", {
    title: `Delete ${deal.title}`,
    csrfToken: csrfToken(req),
    deal: { id: deal.id, title: deal.title },
  });
}

/** POST /deals/:dealId/delete */
export async function destroy({ deps, ctx, record: deal }: PageCall<OneDeal>) {
  await deleteDeal(deps, ctx, deal);
  return redirect("/deals", `Deal "${deal.title}" deleted.`);
}
