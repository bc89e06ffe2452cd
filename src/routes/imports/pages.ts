import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import { importLimits } from "../../commands/imports/deps";
import { enqueueImportWork } from "../../commands/imports/enqueue";
import { importHistory } from "../../commands/imports/queries";
import { createImport } from "../../commands/imports/start";
import { isAppError } from "../../errors";
import { csrfToken } from "../../middleware/csrf";
import { requireUser } from "../../middleware/currentUser";
import { hasFeature, requireFeature } from "../../plans/planGate";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { importPagesOne } from "./importPages";
import { importUploads, sizeText } from "./upload";
import { importView } from "./view";

/** /imports: the history of the business's imports, and uploading a new one. */
export function importPages(deps: Deps): Router {
  const router = Router();
  const limits = importLimits(deps.config);
  const receive = importUploads(limits);
  router.use("/imports", requireUser, requireBusiness);

  function renderNew(req: Request, res: Response, error: string | null, status = 200) {
    const ctx = tenantOf(req);
    res.status(status).render("imports/new", {
      title: "Import customers",
      maxSize: sizeText(limits.maxBytes),
      maxRows: limits.maxRows.toLocaleString("en"),
      // The upload form posts multipart: its token rides in the query (see middleware/csrf.ts).
      action: `/imports?_csrf=${encodeURIComponent(csrfToken(req))}`,
      errors: error ? { file: error } : {},
      country: ctx.business.country,
    });
  }

  router.get("/imports", async (req, res) => {
    const ctx = tenantOf(req);
    const page = Math.max(1, Number(req.query.page) || 1);
    const { imports, hasMore } = await importHistory(deps.models, ctx, page);
    res.render("imports/index", {
      title: "Imports",
      imports: imports.map((record) => importView(record, ctx, limits.revertDays)),
      canImport: hasFeature(ctx.plan, "imports"),
      page,
      previousPage: page > 1 ? page - 1 : null,
      nextPage: hasMore ? page + 1 : null,
      revertDays: limits.revertDays,
    });
  });

  router.get("/imports/new", requireFeature("imports"), (req, res) => {
    authorize(tenantOf(req), "customers.manage");
    renderNew(req, res, null);
  });

  router.post("/imports", requireFeature("imports"), async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.manage");
    try {
      const upload = await receive(req, res);
      const record = await createImport(deps, ctx.business.id, ctx.user.id, upload);
      await enqueueImportWork(deps, record);
      res.redirect(303, `/imports/${record.id}`);
    } catch (error) {
      if (!isAppError(error) || !["validation_failed", "payload_too_large"].includes(error.id))
        throw error;
      const fields = error.details?.fields as Record<string, string> | undefined;
      const message = error.id === "payload_too_large" ? error.message : fields?.file;
      renderNew(req, res, message ?? error.message, error.status);
    }
  });

  router.use(importPagesOne(deps));
  return router;
}
