import {
  fieldLabels,
  importFields,
  parseInspection,
  parseSettings,
  updatableFields,
  type ColumnMapping,
  type StartOptions,
} from "../../commands/imports/fields";
import {
  isLeadImport,
  leadFieldLabels,
  leadImportFields,
  leadMappingOf,
  type LeadMapping,
} from "../../commands/imports/leadImport";
import type { PreviewRow, RowOutcome } from "../../commands/imports/preview";
import { undoSummaryOf } from "../../commands/imports/revert";
import { formatDateTime } from "../../lib/dates";
import type { Import } from "../../models";
import { presentImport } from "../../presenters/import";
import type { TenantContext } from "../../tenancy/context";

/** View models of the import pages: the mapping form and its preview with per-cell marks. */
const hints: Record<string, string> = {
  name: "Required.",
  phone: "Required. 10-digit numbers get the business's country code.",
  whatsapp: "Empty cells take the phone number.",
  tags: "Comma-separated.",
  consentAt: "YYYY-MM-DD or an Excel date.",
  birthDate: "YYYY-MM-DD or an Excel date.",
  anniversary: "YYYY-MM-DD or an Excel date.",
};

/** What the import will do with a previewed row, in a few words (and the customer's link). */
function outcomeOf(outcome: RowOutcome): { state: string; text: string; link: string | null } {
  switch (outcome.kind) {
    case "invalid":
      return { state: "invalid", text: "Not imported: see the marked cells.", link: null };
    case "new":
      return { state: "new", text: "New customer.", link: null };
    case "duplicate":
      return {
        state: "skipped",
        text: `Skipped: same phone number as row ${outcome.ofRow} of this file.`,
        link: null,
      };
    case "existing": {
      const link = outcome.customer ? `/customers/${outcome.customer.id}` : null;
      if (!outcome.customer)
        return {
          state: "skipped",
          text: "Skipped: the number belongs to a customer of another team member.",
          link,
        };
      const { name } = outcome.customer;
      if (outcome.action === "skip")
        return { state: "skipped", text: `Skipped: ${name} already has this number.`, link };
      const what = [
        outcome.changes.length ? outcome.changes.join(", ") : null,
        outcome.tags ? "tags added" : null,
      ].filter(Boolean);
      return {
        state: "update",
        text: `Updates ${name}: ${what.length ? what.join("; ") : "nothing differs"}.`,
        link,
      };
    }
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The first rows as they would import: each mapped cell with its problem, if any, and each row
 * with what the import will do with it.
 */
export function previewOf(record: Import, rows: PreviewRow[] | null, mapping: ColumnMapping) {
  const inspection = parseInspection(record.inspection);
  if (!inspection || !rows) return null;
  const columns = importFields
    .filter((field) => mapping[field] !== null)
    .map((field) => ({
      field,
      label: fieldLabels[field],
      header: inspection.headers[mapping[field] as number] ?? "",
    }));
  const shown = rows.map(({ rowNumber, cells, outcome }) => {
    const bad = outcome.kind === "invalid" ? outcome.fields : [];
    const messages = outcome.kind === "invalid" ? outcome.messages : [];
    return {
      rowNumber,
      ok: outcome.kind !== "invalid",
      ...outcomeOf(outcome),
      messages,
      cells: columns.map(({ field, label }) => {
        const text = cells[mapping[field] as number] ?? "";
        const error = bad.includes(field)
          ? messages.filter((m) => m.startsWith(`${label}:`)).join(" ")
          : null;
        return { text, error, ok: !error };
      }),
    };
  });
  const count = (state: string) => shown.filter((row) => row.state === state).length;
  const counts = {
    new: count("new"),
    update: count("update"),
    skipped: count("skipped"),
    invalid: count("invalid"),
  };
  const parts = [
    counts.new ? `${counts.new} new` : null,
    counts.update
      ? `${counts.update} ${counts.update === 1 ? "updates an existing customer" : "update existing customers"}`
      : null,
    counts.skipped ? `${counts.skipped} skipped` : null,
    counts.invalid ? `${counts.invalid} not imported (listed in the error report)` : null,
  ].filter(Boolean);
  return {
    columns,
    rows: shown,
    counts,
    problems: counts.invalid,
    allNew: counts.new === shown.length,
    summary: `Of these ${plural(shown.length, "row")}: ${parts.join(", ")}.`,
  };
}

/** The options the page shows: those just chosen, or the import's settings. */
export function chosenOptions(record: Import, chosen?: StartOptions): StartOptions {
  const settings = parseSettings(record.settings);
  return {
    mapping: chosen?.mapping ?? settings.mapping,
    mode: chosen?.mode ?? record.mode,
    update: chosen?.update ?? settings.update,
  };
}

/** The mapping form: a select per field, the mode, and the fields update mode may change. */
/** A lead import's mapping form: lead fields, skip or update (fill only) for known contacts. */
function leadMappingFormOf(record: Import, chosen?: { mapping?: LeadMapping; mode?: string }) {
  const headers = parseInspection(record.inspection)?.headers ?? [];
  const mapping = chosen?.mapping ?? leadMappingOf(record);
  const mode = chosen?.mode ?? record.mode;
  return {
    leads: true,
    headers,
    sheets: [],
    hasSheets: false,
    fields: leadImportFields.map((field) => ({
      field,
      name: `map_${field}`,
      label: leadFieldLabels[field],
      hint: field === "firstName" ? "Required." : "",
      options: [
        { value: "", label: "— not imported —", selected: mapping[field] === null },
        ...headers.map((header, index) => ({
          value: String(index),
          label: header,
          selected: mapping[field] === index,
        })),
      ],
    })),
    skip: mode !== "update",
    update: mode === "update",
    fillOnly: parseSettings(record.settings).update.fillOnly,
    updateFields: [],
    mapping,
  };
}

export function mappingFormOf(
  record: Import,
  chosen?: StartOptions,
  leadChoice?: { mapping?: LeadMapping; mode?: string },
) {
  if (isLeadImport(parseSettings(record.settings))) return leadMappingFormOf(record, leadChoice);
  const inspection = parseInspection(record.inspection);
  const { mapping, mode, update } = chosenOptions(record, chosen);
  const headers = inspection?.headers ?? [];
  return {
    headers,
    sheets: (inspection?.sheets ?? []).map((name) => ({
      value: name,
      label: name,
      selected: name === inspection?.sheet,
    })),
    hasSheets: (inspection?.sheets.length ?? 0) > 1,
    fields: importFields.map((field) => ({
      field,
      name: `map_${field}`,
      label: fieldLabels[field],
      hint: hints[field] ?? "",
      options: [
        { value: "", label: "— not imported —", selected: mapping[field] === null },
        ...headers.map((header, index) => ({
          value: String(index),
          label: header,
          selected: mapping[field] === index,
        })),
      ],
    })),
    skip: mode !== "update",
    update: mode === "update",
    fillOnly: update.fillOnly,
    updateFields: updatableFields.map((field) => ({
      field,
      label: fieldLabels[field],
      checked: update.fields.includes(field),
    })),
    mapping,
  };
}

/** The undo of an import as its page and the history show it: who, when, what it did. */
function undoOf(record: Import, timeZone: string) {
  if (record.status !== "reverting" && record.status !== "reverted") return null;
  return {
    done: record.status === "reverted",
    by: record.revertedBy?.name ?? null,
    atDisplay: record.revertedAt ? formatDateTime(record.revertedAt, timeZone) : null,
    counts: {
      deleted: record.revertedDeletedCount,
      restored: record.revertedRestoredCount,
      kept: record.revertedKeptCount,
      tags: record.revertedTagsCount,
    },
    summary: undoSummaryOf(record),
  };
}

export function importView(record: Import, ctx: TenantContext, revertDays: number, now: Date) {
  const timeZone = ctx.business.timeZone;
  const item = presentImport(record, { revertDays, timeZone, now });
  return {
    ...item,
    undo: undoOf(record, timeZone),
    links: { ...item.links, revert: `/imports/${record.id}/revert` },
  };
}
