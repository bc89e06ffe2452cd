import type { Request, Response } from "express";
import {
  createBusiness,
  deleteBusiness,
  membershipFor,
  updateBusiness,
} from "../../commands/businesses";
import { AppError } from "../../errors";
import type {
  AccountCall,
  CallInput,
  FormFailure,
  PageCall,
  PageFormCall,
} from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { countryOptions, currencyOptions, timeZoneOptions, withSelected } from "../../lib/locales";
import { csrfToken } from "../../middleware/csrf";
import { presentBusiness } from "../../presenters/business";
import type { RequestContext } from "../../tenancy/context";
import {
  businessDefaults,
  type businessSchema,
  type businessParams,
  type deleteBusinessSchema,
} from "./schema";

type Values = Record<string, unknown>;

function formView(req: Request, values: Values, errors: FieldErrors = {}) {
  return {
    csrfToken: csrfToken(req),
    values,
    errors,
    countries: withSelected(countryOptions, values.country),
    timeZones: withSelected(timeZoneOptions, values.timeZone),
    currencies: withSelected(currencyOptions, values.currency),
  };
}

function renderNew(
  req: Request,
  res: Response,
  view: string,
  values: Values,
  errors: FieldErrors = {},
  status = 200,
) {
  res.status(status).render(view, { title: "New business", ...formView(req, values, errors) });
}

/** GET /onboarding: people without a business create their first. */
export function showOnboarding({ req, res, ctx }: AccountCall) {
  if (ctx.business) return redirect("/");
  renderNew(req, res, "businesses/onboarding", businessDefaults);
}

/** GET /businesses */
export function listBusinesses({ req, res, ctx }: AccountCall) {
  const current = ctx.business?.id;
  res.render("businesses/index", {
    title: "My businesses",
    businesses: ctx.businesses.map((b) => ({ ...b, current: b.id === current })),
    csrfToken: csrfToken(req),
  });
}

/** GET /businesses/new */
export function showNew({ req, res }: AccountCall) {
  renderNew(req, res, "businesses/new", businessDefaults);
}

/** The onboarding page and the "new business" page post the same form. */
export function renderCreateFailure(
  { req, res }: PageFormCall<CallInput, RequestContext>,
  failure: FormFailure,
) {
  const view = failure.values.onboarding ? "businesses/onboarding" : "businesses/new";
  renderNew(req, res, view, failure.values, failure.errors, failure.status);
}

/** POST /businesses: the new business becomes the current one. */
export async function create({
  req,
  deps,
  ctx,
  body,
}: AccountCall<{ body: typeof businessSchema }>) {
  const business = await createBusiness(deps, ctx.user.id, body);
  req.session.businessId = business.id;
  return redirect("/", `${business.name} is ready.`);
}

/** POST /businesses/:businessId/switch: only to a business the person belongs to (404 else). */
export async function switchBusiness({
  req,
  deps,
  ctx,
  params,
}: AccountCall<{ params: typeof businessParams }>) {
  const membership = await membershipFor(deps, ctx.user.id, params.businessId);
  req.session.businessId = membership.businessId;
  return redirect("/");
}

function settingsView(req: Request, values: Values, errors: FieldErrors = {}) {
  return { title: "Business settings", ...formView(req, values, errors) };
}

/** GET /business/settings */
export function showSettings({ req, res, ctx }: PageCall) {
  const values = { ...presentBusiness(ctx.business), wishTasks: ctx.business.wishTasks };
  res.render("businesses/settings", settingsView(req, values));
}

export function renderSettingsFailure({ req, res }: PageFormCall, failure: FormFailure) {
  res
    .status(failure.status)
    .render("businesses/settings", settingsView(req, failure.values, failure.errors));
}

/** POST /business/settings */
export async function saveSettings({ deps, ctx, body }: PageCall<{ body: typeof businessSchema }>) {
  await updateBusiness(deps, ctx, body);
  return redirect("/business/settings", "Business details saved.");
}

function deleteView(req: Request, ctx: PageCall["ctx"], errors: FieldErrors) {
  return {
    title: "Delete business",
    business: presentBusiness(ctx.business),
    csrfToken: csrfToken(req),
    errors,
  };
}

/** GET /business/delete */
export function showDelete({ req, res, ctx }: PageCall) {
  res.render("businesses/delete", deleteView(req, ctx, {}));
}

/** Whatever was wrong with the confirmation, the page says what to type. */
export function renderDeleteFailure({ req, res, ctx }: PageFormCall, failure: FormFailure) {
  const errors = { confirmation: `Type the business name exactly: ${ctx.business.name}` };
  res.status(failure.status).render("businesses/delete", deleteView(req, ctx, errors));
}

/** POST /business/delete: only with the business's name typed exactly. */
export async function remove({
  req,
  deps,
  ctx,
  body,
}: PageCall<{ body: typeof deleteBusinessSchema }>) {
  if (!(await deleteBusiness(deps, ctx, body.confirmation)))
    throw AppError.validation({ confirmation: "Type the business name exactly." });
  delete req.session.businessId;
  return redirect("/businesses", `${ctx.business.name} and everything in it were deleted.`);
}
