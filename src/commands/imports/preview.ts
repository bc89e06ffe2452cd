import { Op } from "sequelize";
import type { Import } from "../../models";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import type { ImportDeps } from "./deps";
import { fieldLabels, parseInspection, type ImportField, type StartOptions } from "./fields";
import { prepareRow, rowContext } from "./prepare";
import { computeChange, type ExistingCustomer } from "./updates";

/**
 * The mapping page's first rows as the import will treat them: not imported (what is wrong), a
 * new customer, skipped as a repeat of an earlier row of the file, or — for a phone number a
 * customer already has — skipped or updated, as the chosen mode and the member's role decide
 * (the same rules as batchPlan.ts). One scoped lookup of the rows' phone numbers (10 at most).
 */
export type RowOutcome =
  | { kind: "invalid"; messages: string[]; fields: ImportField[] }
  | { kind: "new" }
  | { kind: "duplicate"; ofRow: number }
  | {
      kind: "existing";
      action: "skip" | "update";
      /** Null when the member may not see that customer (sales: another member's). */
      customer: { id: number; name: string } | null;
      /** Update mode: the fields the row changes, and whether it brings tags to add. */
      changes: string[];
      tags: boolean;
    };

export interface PreviewRow {
  rowNumber: number;
  cells: string[];
  outcome: RowOutcome;
}

const customerAttributes = [
  "id",
  "phoneE164",
  "ownerId",
  "name",
  "email",
  "whatsappE164",
  "consentAt",
  "birthDate",
  "anniversary",
] as const;

/** The customers of the business with these phone numbers (the import matches across it). */
async function customersByPhone(
  deps: ImportDeps,
  businessId: number,
  phones: string[],
): Promise<Map<string, ExistingCustomer>> {
  if (phones.length === 0) return new Map();
  const { Customer } = deps.models;
  const rows = await Customer.findAll({
    where: tenantWhere(businessScope(businessId), Customer, { phoneE164: { [Op.in]: phones } }),
    attributes: [...customerAttributes],
  });
  return new Map(
    rows.map((row) => {
      const customer = row.get({ plain: true }) as ExistingCustomer;
      return [customer.phoneE164, customer];
    }),
  );
}

/** The preview's rows with what the import would do with each, or null before inspection. */
export async function previewRows(
  deps: ImportDeps,
  ctx: TenantContext,
  record: Import,
  options: StartOptions,
): Promise<PreviewRow[] | null> {
  const inspection = parseInspection(record.inspection);
  if (!inspection) return null;
  const context = rowContext(ctx.business.country, options.mapping, ctx.user.id);
  const prepared = inspection.preview.map((cells) => prepareRow(cells, context));
  const phones = prepared.flatMap((row) =>
    row.kind === "ok" ? [row.customer.columns.phoneE164] : [],
  );
  const existing = await customersByPhone(deps, record.businessId, [...new Set(phones)]);
  const onlyOwnedBy = restrictedToOwnRecords(ctx) ? ctx.user.id : null;
  const firstRow = new Map<string, number>();
  return inspection.preview.map((cells, i) => {
    const rowNumber = inspection.previewRowNumbers[i] ?? i + 2;
    const row = prepared[i];
    const outcome = (): RowOutcome => {
      if (!row || row.kind === "blank") return { kind: "invalid", messages: [], fields: [] };
      if (row.kind === "invalid")
        return { kind: "invalid", messages: row.messages, fields: row.fields };
      const phone = row.customer.columns.phoneE164;
      const earlier = firstRow.get(phone);
      if (earlier !== undefined) return { kind: "duplicate", ofRow: earlier };
      firstRow.set(phone, rowNumber);
      const match = existing.get(phone);
      if (!match) return { kind: "new" };
      const theirs = onlyOwnedBy !== null && match.ownerId !== onlyOwnedBy;
      const customer = theirs ? null : { id: match.id, name: match.name };
      if (options.mode === "skip" || theirs)
        return { kind: "existing", action: "skip", customer, changes: [], tags: false };
      const change = computeChange(match, row.customer, row.raw, options.update);
      const changes = Object.keys(change?.after ?? {}).map(
        (field) => fieldLabels[field as ImportField],
      );
      const tags = row.customer.input.tags.length > 0;
      return { kind: "existing", action: "update", customer, changes, tags };
    };
    return { rowNumber, cells, outcome: outcome() };
  });
}
