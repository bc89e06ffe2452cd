import type { Request, Response } from "express";
import { monthOf, monthLabel, type AnalyticsPeriod } from "../../commands/analytics/period";
import { salesPeople, salesReport } from "../../commands/analytics/report";
import { setTargets, targetsFor } from "../../commands/analytics/targets";
import { defaultCurrency } from "../../commands/deals/input";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { can } from "../../policies/permissions";
import { presentReport, presentTargetRows } from "../../presenters/analytics";
import type { TenantContext } from "../../tenancy/context";
import type { analyticsQuerySchema, targetsFormFor, targetsQuerySchema } from "./schema";

type Deps = PageCall["deps"];

async function renderReport(
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  query: { period: AnalyticsPeriod; month?: string },
  filterErrors: string[] = [],
) {
  const thisMonth = monthOf(deps.clock.now(), ctx.business.timeZone);
  // A month after this one has no results yet: this month instead.
  const month = query.month && query.month <= thisMonth ? query.month : thisMonth;
  const report = await salesReport(deps, ctx, query.period, month);
  res.status(filterErrors.length ? 422 : 200).render("analytics/index", {
    title: "Analytics",
    filterErrors,
    canSetTargets: can(ctx.membership.role, "targets.manage"),
    ...presentReport(report, thisMonth),
  });
}

/** GET /analytics: leads, campaigns, pipeline, revenue and members against their targets. */
export function showAnalytics({
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof analyticsQuerySchema }>) {
  return renderReport(res, deps, ctx, query);
}

/** A period or month that does not parse: the default report, with what was wrong (422). */
export function renderAnalyticsFailure({ res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderReport(res, deps, ctx, { period: "12m" }, Object.values(failure.errors));
}

async function renderTargets(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  month: string,
  options: { typed?: Record<string, unknown>; errors?: FieldErrors; status?: number } = {},
) {
  const currency = defaultCurrency(ctx);
  const [people, targets] = await Promise.all([
    salesPeople(deps, ctx, false),
    targetsFor(deps, ctx, month),
  ]);
  res.status(options.status ?? 200).render("analytics/targets", {
    title: "Sales targets",
    csrfToken: csrfToken(req),
    month,
    monthLabel: /^\d{4}-\d{2}$/.test(month) ? monthLabel(month) : month,
    currency,
    errors: options.errors ?? {},
    rows: presentTargetRows(people, targets, currency, options.typed).map((row) => ({
      ...row,
      error: options.errors?.[row.field] ?? null,
    })),
  });
}

/** GET /analytics/targets: each member's monthly target from the chosen month on. */
export function showTargets({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof targetsQuerySchema }>) {
  return renderTargets(
    req,
    res,
    deps,
    ctx,
    query.month ?? monthOf(deps.clock.now(), ctx.business.timeZone),
  );
}

/** The targets form back as typed, with each amount's error. */
export function renderTargetsFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  const month = typeof failure.values.month === "string" ? failure.values.month : "";
  const fallback = monthOf(deps.clock.now(), ctx.business.timeZone);
  return renderTargets(req, res, deps, ctx, /^\d{4}-\d{2}$/.test(month) ? month : fallback, {
    typed: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /analytics/targets */
export async function saveTargets({
  deps,
  ctx,
  body,
}: PageCall<{ body: ReturnType<typeof targetsFormFor> }>) {
  await setTargets(deps, ctx, body.month, body.entries);
  return redirect(
    `/analytics?month=${body.month}`,
    `Targets from ${monthLabel(body.month)} saved.`,
  );
}
