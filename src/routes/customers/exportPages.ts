import {
  ExportAborted,
  exportContentTypes,
  exportCustomers,
  exportFileName,
  type ExportFormat,
} from "../../commands/customers/export";
import type { customerFilterSchema } from "../../commands/customers/filter";
import type { PageCall } from "../../http/endpoint";

/**
 * GET /customers/export.csv and .xlsx: the list's filter (same query parameters) as a download.
 * The gates and the filter are checked before any header is set: a refusal is an error page, not
 * a downloaded file.
 */
export function download(format: ExportFormat) {
  return async ({
    req,
    res,
    deps,
    ctx,
    query,
  }: PageCall<{ query: typeof customerFilterSchema }>) => {
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
      await exportCustomers(deps, ctx, query, format, res);
    } catch (error) {
      // The person cancelled the download; nothing to report.
      if (!(error instanceof ExportAborted)) throw error;
    }
  };
}
