import {
  fieldLabels,
  importFields,
  parseInspection,
  parseSettings,
  updatableFields,
  type ColumnMapping,
  type StartOptions,
} from "../../commands/imports/fields";
import { prepareRow, rowContext } from "../../commands/imports/prepare";
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

/** The first rows as they would import: each mapped cell with its problem, if any. */
export function previewOf(record: Import, ctx: TenantContext, mapping: ColumnMapping) {
  const inspection = parseInspection(record.inspection);
  if (!inspection) return null;
  const context = rowContext(ctx.business.country, mapping, ctx.user.id);
  const columns = importFields
    .filter((field) => mapping[field] !== null)
    .map((field) => ({
      field,
      label: fieldLabels[field],
      header: inspection.headers[mapping[field] as number] ?? "",
    }));
  const rows = inspection.preview.map((cells, i) => {
    const prepared = prepareRow(cells, context);
    const bad = prepared.kind === "invalid" ? prepared.fields : [];
    const messages = prepared.kind === "invalid" ? prepared.messages : [];
    return {
      rowNumber: inspection.previewRowNumbers[i] ?? i + 2,
      ok: prepared.kind === "ok",
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
  const problems = rows.filter((r) => !r.ok).length;
  return { columns, rows, problems, allOk: problems === 0 };
}

/** The mapping form: a select per field, the mode, and the fields update mode may change. */
export function mappingFormOf(record: Import, chosen?: StartOptions) {
  const inspection = parseInspection(record.inspection);
  const settings = parseSettings(record.settings);
  const mapping = chosen?.mapping ?? settings.mapping;
  const mode = chosen?.mode ?? record.mode;
  const update = chosen?.update ?? settings.update;
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

export function importView(record: Import, ctx: TenantContext, revertDays: number) {
  return presentImport(record, { revertDays, timeZone: ctx.business.timeZone });
}
