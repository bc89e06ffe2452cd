import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import type { StartOptions } from "../../commands/imports/fields";
import { errorReport, errorReportName } from "../../commands/imports/queries";
import { requestRevert } from "../../commands/imports/revert";
import { chooseSheet, discardImport, startImport } from "../../commands/imports/start";
import { AppError, isAppError } from "../../errors";
import { flash } from "../../middleware/flash";
import type { Import } from "../../models";
import { hasFeature } from "../../plans/planGate";
import { authorize, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { startOptionsFrom } from "./schema";
import { importView, mappingFormOf, previewOf } from "./view";

/** One import: mapping and preview, start, live progress, summary, error report, undo. */
export function importPagesOne(deps: Deps): Router {
  const limits = importLimits(deps.config);
  const router = Router();
  const revertDays = limits.revertDays;

  async function load(req: Request): Promise<Import> {
    const ctx = tenantOf(req);
    const record = await findInBusiness(ctx, deps.models.Import, req.params.importId, {
      include: [{ model: deps.models.User, as: "user", attributes: ["id", "name"] }],
    });
    authorize(ctx, "customers.manage");
    return record;
  }

  function render(
    req: Request,
    res: Response,
    record: Import,
    options: { chosen?: StartOptions; errors?: Record<string, string>; status?: number } = {},
  ) {
    const ctx = tenantOf(req);
    const form = record.status === "ready" ? mappingFormOf(record, options.chosen) : null;
    res.status(options.status ?? 200).render("imports/show", {
      title: `Import: ${record.fileName}`,
      item: importView(record, ctx, revertDays),
      form,
      preview: form ? previewOf(record, ctx, form.mapping) : null,
      errors: options.errors ?? {},
    });
  }

  router.get("/imports/:importId", async (req, res) => {
    render(req, res, await load(req));
  });

  // Polled by htmx every second while the import works; a finished one reloads the page.
  router.get("/imports/:importId/progress", async (req, res) => {
    const record = await load(req);
    const item = importView(record, tenantOf(req), revertDays);
    if (!item.working && req.get("HX-Request")) res.set("HX-Refresh", "true");
    res.render("partials/imports/progress", { layout: false, item });
  });

  // The preview again with the mapping being edited: a fragment for htmx, the page otherwise.
  router.post("/imports/:importId/preview", async (req, res) => {
    const record = await load(req);
    const chosen = startOptionsFrom(req.body as Record<string, unknown>);
    if (record.status !== "ready") return res.redirect(303, `/imports/${record.id}`);
    if (req.get("HX-Request")) {
      const preview = previewOf(record, tenantOf(req), chosen.mapping);
      return res.render("partials/imports/preview", { layout: false, preview });
    }
    render(req, res, record, { chosen });
  });

  router.post("/imports/:importId/start", async (req, res) => {
    const record = await load(req);
    const ctx = tenantOf(req);
    if (!hasFeature(ctx.plan, "imports"))
      throw new AppError("plan_limit", "Imports are not part of your plan. Upgrade to use them.");
    const chosen = startOptionsFrom(req.body as Record<string, unknown>);
    try {
      const started = await startImport(deps, ctx, record, chosen);
      await enqueueImportWork(deps, started);
    } catch (error) {
      if (!isAppError(error) || !["validation_failed", "plan_limit"].includes(error.id))
        throw error;
      const fields = (error.details?.fields ?? { form: error.message }) as Record<string, string>;
      return render(req, res, record, { chosen, errors: fields, status: error.status });
    }
    res.redirect(303, `/imports/${record.id}`);
  });

  router.post("/imports/:importId/revert", async (req, res) => {
    const record = await load(req);
    const reverting = await requestRevert(deps, record, tenantOf(req).user.id);
    await enqueueImportWork(deps, reverting);
    flash(req, "success", `Undoing the import of ${record.fileName}.`);
    res.redirect(303, `/imports/${record.id}`);
  });

  router.post("/imports/:importId/discard", async (req, res) => {
    const record = await load(req);
    await discardImport(deps, record);
    flash(req, "success", `${record.fileName} was discarded.`);
    res.redirect(303, "/imports");
  });

  router.get("/imports/:importId/errors.csv", async (req, res) => {
    const record = await load(req);
    res.set({
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${errorReportName(record)}"`,
      "X-Content-Type-Options": "nosniff",
    });
    // pipeline ends the response (as cut short) if the report fails midway.
    await pipeline(errorReport(deps.models, record), res).catch(() => undefined);
  });

  // Another sheet of a workbook: read again from that sheet.
  router.post("/imports/:importId/sheet", async (req, res) => {
    const record = await load(req);
    const sheet = typeof req.body?.sheet === "string" ? req.body.sheet : "";
    const again = await chooseSheet(deps, record, sheet);
    await enqueueImportWork(deps, again);
    res.redirect(303, `/imports/${record.id}`);
  });

  return router;
}
