import { rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Router, type Request } from "express";
import type { Deps } from "../../deps";
import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { errorReport, errorReportName } from "../../commands/imports/queries";
import { createImport } from "../../commands/imports/start";
import { AppError } from "../../errors";
import { requireApiUser } from "../../middleware/bearerAuth";
import type { Import } from "../../models";
import { hasFeature } from "../../plans/planGate";
import { presentImport } from "../../presenters/import";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { apiUploadOptions } from "./schema";
import { importUploads } from "./upload";

/**
 * /api/v1/imports: upload a file (multipart, field "file", options as fields) and the import
 * starts as soon as it is read, with the mapping from its headers (or map.<field> fields); then
 * poll GET /api/v1/imports/:importId for status, progress and counts.
 */
export function importsApi(deps: Deps): Router {
  const router = Router();
  const limits = importLimits(deps.config);
  const receive = importUploads(limits);
  router.use("/imports", requireApiUser, requireBusiness);

  function present(req: Request, record: Import) {
    const ctx = tenantOf(req);
    const item = presentImport(record, {
      revertDays: limits.revertDays,
      timeZone: ctx.business.timeZone,
    });
    return {
      ...item,
      links: {
        self: `/api/v1/imports/${record.id}`,
        page: `/imports/${record.id}`,
        errorReport: `/api/v1/imports/${record.id}/errors.csv`,
      },
    };
  }

  async function load(req: Request): Promise<Import> {
    const ctx = tenantOf(req);
    const record = await findInBusiness(ctx, deps.models.Import, req.params.importId);
    authorize(ctx, "customers.manage");
    return record;
  }

  router.post("/imports", async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    if (!hasFeature(ctx.plan, "imports"))
      throw new AppError("plan_limit", "Imports are not part of your plan. Upgrade to use them.", {
        feature: "imports",
      });
    const upload = await receive(req, res);
    let options;
    try {
      options = apiUploadOptions((req.body ?? {}) as Record<string, unknown>);
    } catch (error) {
      await rm(upload.path, { force: true });
      throw error;
    }
    const record = await createImport(deps, ctx.business.id, ctx.user.id, upload, options);
    await enqueueImportWork(deps, record);
    res.status(202).json({
      statusCode: 202,
      data: present(req, record),
      message: "Import queued: it starts once the file has been read.",
    });
  });

  router.get("/imports/:importId", async (req, res) => {
    const record = await load(req);
    res.json({ statusCode: 200, data: present(req, record), message: record.status });
  });

  router.get("/imports/:importId/errors.csv", async (req, res) => {
    const record = await load(req);
    res.set({
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${errorReportName(record)}"`,
    });
    // pipeline ends the response (as cut short) if the report fails midway.
    await pipeline(errorReport(deps.models, record), res).catch(() => undefined);
  });

  return router;
}
