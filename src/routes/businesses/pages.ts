import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import {
  createBusiness,
  deleteBusiness,
  membershipFor,
  updateBusiness,
} from "../../commands/businesses";
import { isAppError } from "../../errors";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { countryOptions, currencyOptions, timeZoneOptions, withSelected } from "../../lib/locales";
import { csrfToken } from "../../middleware/csrf";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { presentBusiness } from "../../presenters/business";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { businessDefaults, businessSchema, deleteBusinessSchema } from "./schema";

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

/** Create, list, switch, edit and delete businesses; onboarding for people without one. */
export function businessPages(deps: Deps): Router {
  const router = Router();
  router.use(["/businesses", "/business", "/onboarding"], requireUser);

  const renderNew = (
    req: Request,
    res: Response,
    view: string,
    values: Values,
    errors: FieldErrors = {},
    status = 200,
  ) => res.status(status).render(view, { title: "New business", ...formView(req, values, errors) });

  router.get("/onboarding", (req, res) => {
    if (req.ctx?.business) return res.redirect("/");
    renderNew(req, res, "businesses/onboarding", businessDefaults);
  });

  router.get("/businesses", (req, res) => {
    const current = req.ctx?.business?.id;
    const businesses = (req.ctx?.businesses ?? []).map((b) => ({
      ...b,
      current: b.id === current,
    }));
    res.render("businesses/index", {
      title: "My businesses",
      businesses,
      csrfToken: csrfToken(req),
    });
  });

  router.get("/businesses/new", (req, res) =>
    renderNew(req, res, "businesses/new", businessDefaults),
  );

  router.post("/businesses", async (req, res) => {
    const view = req.body.onboarding ? "businesses/onboarding" : "businesses/new";
    const input = parseForm(businessSchema, req.body);
    if (!input.ok) return renderNew(req, res, view, req.body, input.errors, 422);
    try {
      const business = await createBusiness(deps, req.currentUser!.id, input.data);
      req.session.businessId = business.id;
      flash(req, "success", `${business.name} is ready.`);
      res.redirect("/");
    } catch (error) {
      if (!isAppError(error) || error.id !== "plan_limit") throw error;
      renderNew(req, res, view, req.body, { form: error.message }, error.status);
    }
  });

  router.post("/businesses/:businessId/switch", async (req, res) => {
    const membership = await membershipFor(deps, req.currentUser!.id, req.params.businessId);
    req.session.businessId = membership.businessId;
    res.redirect("/");
  });

  router.get("/business/settings", requireBusiness, (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "business.update");
    res.render("businesses/settings", {
      title: "Business settings",
      ...formView(req, { ...presentBusiness(ctx.business), wishTasks: ctx.business.wishTasks }),
    });
  });

  router.post("/business/settings", requireBusiness, async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "business.update");
    const input = parseForm(businessSchema, req.body);
    if (!input.ok) {
      res.status(422).render("businesses/settings", {
        title: "Business settings",
        ...formView(req, req.body, input.errors),
      });
      return;
    }
    await updateBusiness(deps, ctx, input.data);
    flash(req, "success", "Business details saved.");
    res.redirect("/business/settings");
  });

  router.get("/business/delete", requireBusiness, (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "business.delete");
    res.render("businesses/delete", {
      title: "Delete business",
      business: presentBusiness(ctx.business),
      csrfToken: csrfToken(req),
      errors: {},
    });
  });

  router.post("/business/delete", requireBusiness, async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "business.delete");
    const input = parseForm(deleteBusinessSchema, req.body);
    const deleted = input.ok && (await deleteBusiness(deps, ctx, input.data.confirmation));
    if (!deleted) {
      const errors = { confirmation: `Type the business name exactly: ${ctx.business.name}` };
      res.status(422).render("businesses/delete", {
        title: "Delete business",
        business: presentBusiness(ctx.business),
        csrfToken: csrfToken(req),
        errors,
      });
      return;
    }
    delete req.session.businessId;
    flash(req, "success", `${ctx.business.name} and everything in it were deleted.`);
    res.redirect("/businesses");
  });

  return router;
}
