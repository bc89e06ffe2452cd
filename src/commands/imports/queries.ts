import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { Op } from "sequelize";
import type { Import, Models } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { parseInspection } from "./fields";

/** Reads for the import pages and the API: the history list and the error report. */
export const historyPageSize = 25;

/** One page of the business's imports, newest first (sales see the ones they started). */
export async function importHistory(
  models: Models,
  ctx: TenantContext,
  page: number,
): Promise<{ imports: Import[]; hasMore: boolean }> {
  authorize(ctx, "customers.manage");
  const rows = await models.Import.findAll({
    where: tenantWhere(ctx, models.Import, { status: { [Op.ne]: "discarded" } }),
    include: [
      { model: models.User, as: "user", attributes: ["id", "name", "email"] },
      { model: models.User, as: "revertedBy", attributes: ["id", "name"] },
    ],
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
    limit: historyPageSize + 1,
    offset: (Math.max(1, page) - 1) * historyPageSize,
  });
  return { imports: rows.slice(0, historyPageSize), hasMore: rows.length > historyPageSize };
}

/**
 * Cells a spreadsheet would run as a formula are prefixed with an apostrophe — except a plain
 * E.164 number ("+" and digits), which cannot be one (as in the customer export).
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^\+\d+$/.test(value) ? `'${value}` : value;
}

/**
 * The rows an import did not take, as CSV: the original row number, every message, and the
 * original values under the file's own headers. Streamed page by page from the database.
 */
export function errorReport(models: Models, record: Import): Readable {
  const headers = parseInspection(record.inspection)?.headers ?? [];
  const csv = stringify({ bom: true });
  const pageSize = 1000;
  async function* lines() {
    yield ["Row", "Errors", ...headers];
    let after = 0;
    for (;;) {
      const rows = await models.ImportRowError.findAll({
        where: tenantWhere(businessScope(record.businessId), models.ImportRowError, {
          importId: record.id,
          id: { [Op.gt]: after },
        }),
        order: [["id", "ASC"]],
        limit: pageSize,
      });
      for (const row of rows) {
        const values = JSON.parse(row.rowValues) as string[];
        const messages = JSON.parse(row.messages) as string[];
        // Cells beyond the header row are kept too (at the end), so nothing read is lost.
        const cells = headers.map((_h, i) => values[i] ?? "").concat(values.slice(headers.length));
        yield [String(row.sourceRow), neutralise(messages.join(" ")), ...cells.map(neutralise)];
      }
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]?.id as number;
    }
  }
  const source = Readable.from(lines());
  // A failed page ends the download instead of leaving it hanging.
  source.on("error", (error) => csv.destroy(error));
  source.pipe(csv);
  return csv;
}

/** The error report's file name: the upload's name without its extension, plus "-errors.csv". */
export function errorReportName(record: Import): string {
  const base = record.fileName.replace(/\.[^.]+$/, "").replace(/[^\w.-]+/g, "_") || "import";
  return `${base}-errors.csv`;
}
