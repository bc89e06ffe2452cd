import type { Deps } from "../../deps";
import { recipientStatuses, type RecipientStatus } from "../../models/CampaignRecipient";
import type { TenantContext } from "../../tenancy/context";
import { tenantSql } from "../../tenancy/sql";

export interface RecipientRow {
  id: number;
  customerId: number;
  customerName: string;
  address: string;
  status: RecipientStatus;
  errorCode: string | null;
  errorReason: string | null;
  attempts: number;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
}

export function isRecipientStatus(value: unknown): value is RecipientStatus {
  return typeof value === "string" && (recipientStatuses as readonly string[]).includes(value);
}

const iso = (value: unknown) => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/**
 * A page of a campaign's recipients in id order after `afterId` (cursor paging on the
 * campaign's status index), optionally of one status, with each customer's name.
 */
export async function listRecipients(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
  campaignId: number,
  options: { afterId?: number; limit: number; status?: RecipientStatus },
): Promise<{ rows: RecipientRow[]; nextCursor: number | null }> {
  const sql = tenantSql(deps, ctx, undefined);
  const status = options.status ?? null;
  const rows = await sql.select<Record<string, unknown>>`
    SELECT r.id, r.customer_id, c.name, r.address, r.status, r.error_code, r.error_reason,
      r.attempts, r.sent_at, r.delivered_at, r.read_at
    FROM campaign_recipients r LEFT JOIN customers c ON c.id = r.customer_id AND ${sql.scoped("c")}
    WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId} AND r.id > ${options.afterId ?? 0}
      AND (${status} IS NULL OR r.status = ${status})
    ORDER BY r.id LIMIT ${options.limit + 1}`;
  const page = rows.slice(0, options.limit).map((r): RecipientRow => ({
    id: Number(r.id),
    customerId: Number(r.customer_id),
    customerName: String(r.name ?? "(deleted customer)"),
    address: String(r.address),
    status: r.status as RecipientStatus,
    // A claim's token is not an error: it only marks whose send a row is.
    errorCode:
      typeof r.error_code === "string" && !r.error_code.startsWith("claim:") ? r.error_code : null,
    errorReason: (r.error_reason as string | null) ?? null,
    attempts: Number(r.attempts),
    sentAt: iso(r.sent_at),
    deliveredAt: iso(r.delivered_at),
    readAt: iso(r.read_at),
  }));
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > options.limit && last ? last.id : null };
}

/** A CSV cell: quoted, and a leading = + - @ neutralised so spreadsheets never run it. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** Every recipient as CSV lines (header first), read a page at a time. */
export async function* recipientsCsv(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
  campaignId: number,
): AsyncGenerator<string> {
  yield "customer_id,customer,address,status,error_code,error_reason,attempts,sent_at,delivered_at,read_at\n";
  let afterId = 0;
  for (;;) {
    const { rows, nextCursor } = await listRecipients(deps, ctx, campaignId, {
      afterId,
      limit: 1000,
    });
    yield rows
      .map((r) =>
        [
          r.customerId,
          r.customerName,
          r.address,
          r.status,
          r.errorCode,
          r.errorReason,
          r.attempts,
          r.sentAt,
          r.deliveredAt,
          r.readAt,
        ]
          .map(csvCell)
          .join(","),
      )
      .map((line) => `${line}\n`)
      .join("");
    if (nextCursor === null) return;
    afterId = nextCursor;
  }
}
