import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import {
  ExportAborted,
  exportContentTypes,
  exportCustomers,
  exportFileName,
  type ExportFormat,
} from "../../commands/customers/export";
import { customerFilterSchema } from "../../commands/customers/filter";
import { AppError } from "../../errors";
import { fieldErrors } from "../../lib/forms";
import { requireUser } from "../../middleware/currentUser";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";

/**
 * Downloads of the customer list as CSV or XLSX, for the filter the list page shows (same query
 * parameters). Mount before the customer pages: "/customers/:customerId" would take "export.csv".
 */
export function customerExportPages(deps: Deps): Router {
  const router = Router();

  const download = (format: ExportFormat) => async (req: Request, res: Response) => {
    const ctx = tenantOf(req);
    const parsed = customerFilterSchema.safeParse(req.query);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      throw AppError.validation(
        fields,
        `Fix the filter to export: ${Object.values(fields).join(" ")}`,
      );
    }
    // Checked before any header is set: a refusal is an error page, not a downloaded file.
    authorize(ctx, "customers.export");
    res.status(200);
    res.attachment(exportFileName(ctx, format));
    res.setHeader("Content-Type", exportContentTypes[format]);
    // Customer data: no shared cache may keep a copy.
    res.setHeader("Cache-Control", "private, no-store");
    // HEAD runs this handler too: answer the headers without reading a million rows.
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    try {
      await exportCustomers(deps, ctx, parsed.data, format, res);
    } catch (error) {
      // The person cancelled the download; nothing to report.
      if (!(error instanceof ExportAborted)) throw error;
    }
  };

  router.get("/customers/export.csv", requireUser, requireBusiness, download("csv"));
  router.get("/customers/export.xlsx", requireUser, requireBusiness, download("xlsx"));
  return router;
}
