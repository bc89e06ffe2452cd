import { Router } from "express";
import type { Deps } from "../../deps";
import { customerFilterSchema } from "../../commands/customers/filter";
import { countCustomers } from "../../commands/customers/list";
import {
  deleteSegment,
  saveSegment,
  segmentFilter,
  segmentsOf,
} from "../../commands/customers/segments";
import { isAppError } from "../../errors";
import { parseForm } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireFeature } from "../../plans/planGate";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { can } from "../../policies/permissions";
import { describeFilter, listLink } from "../../presenters/customerList";
import { requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { segmentNameSchema } from "../customers/schema";

/** Saved filters: list with live counts, open in the customer list, delete. */
export function segmentPages(deps: Deps): Router {
  const router = Router();
  router.use("/segments", requireUser, requireBusiness, requireFeature("segments"));

  router.get("/segments", async (req, res) => {
    const ctx = tenantOf(req);
    const segments = await segmentsOf(deps, ctx);
    const rows = await Promise.all(
      segments.map(async (segment) => {
        const filter = segmentFilter(segment);
        const count = await countCustomers(deps, ctx, filter);
        return {
          id: segment.id,
          name: segment.name,
          description: describeFilter(filter),
          count: count.totalCapped ? `${count.total}+` : String(count.total),
          link: listLink(filter, {}),
        };
      }),
    );
    res.render("segments/index", {
      title: "Segments",
      csrfToken: csrfToken(req),
      segments: rows,
      canManage: can(ctx.membership.role, "customers.manage"),
    });
  });

  router.post("/segments", async (req, res) => {
    const ctx = tenantOf(req);
    const filter = parseForm(customerFilterSchema, req.body);
    const name = parseForm(segmentNameSchema, req.body);
    const back = filter.ok ? listLink(filter.data, {}) : "/customers";
    if (!filter.ok || !name.ok) {
      flash(req, "danger", (!name.ok && name.errors.segmentName) || "Fix the filters first.");
      return res.redirect(back);
    }
    try {
      const segment = await saveSegment(deps, ctx, {
        name: name.data.segmentName,
        filter: filter.data,
      });
      flash(req, "success", `Saved the segment ${segment.name}.`);
      res.redirect("/segments");
    } catch (error) {
      if (!isAppError(error) || !["conflict", "validation_failed"].includes(error.id)) throw error;
      const fields = (error.details?.fields ?? {}) as Record<string, string>;
      flash(req, "danger", Object.values(fields)[0] ?? error.message);
      res.redirect(back);
    }
  });

  router.get("/segments/:segmentId", async (req, res) => {
    const ctx = tenantOf(req);
    const segment = await findInBusiness(ctx, deps.models.Segment, req.params.segmentId);
    res.redirect(listLink(segmentFilter(segment), {}));
  });

  router.post("/segments/:segmentId/delete", async (req, res) => {
    const ctx = tenantOf(req);
    const segment = await findInBusiness(ctx, deps.models.Segment, req.params.segmentId);
    await deleteSegment(deps, ctx, segment);
    flash(req, "success", `Deleted the segment ${segment.name}.`);
    res.redirect("/segments");
  });

  return router;
}
