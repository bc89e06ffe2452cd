import { customerInputSchema } from "../customers/input";
import { customerColumns } from "../customers/writes";
import { fastCustomer, type PreparedCustomer, type RawCustomer } from "./fastInput";
import {
  dateFields,
  fieldLabels,
  importFields,
  phoneFields,
  type ColumnMapping,
  type ImportField,
} from "./fields";
import { cellText, isBlank, type Cell } from "../../lib/spreadsheets";

/** Turns one row of the file into a customer, or into the list of everything wrong with it. */
export interface RowContext {
  country: string;
  mapping: ColumnMapping;
  ownerId: number | null;
  /** YYYY-MM-DD (UTC), for "date of birth in the future". */
  today: string;
  schema: ReturnType<typeof customerInputSchema>;
}

export type PreparedRow =
  | { kind: "blank" }
  | { kind: "invalid"; messages: string[]; fields: ImportField[] }
  /** `raw`: the mapped cells as text, for update mode (which fields the row fills). */
  | { kind: "ok"; customer: PreparedCustomer; raw: RawCustomer };

export function rowContext(
  country: string,
  mapping: ColumnMapping,
  ownerId: number | null,
): RowContext {
  return {
    country,
    mapping,
    ownerId,
    today: new Date().toISOString().slice(0, 10),
    schema: customerInputSchema(country),
  };
}

const dayMs = 86_400_000;
const excelEpoch = Date.UTC(1899, 11, 30);

/** An Excel serial day number (1900 system) as YYYY-MM-DD; serials before March 1900 are not. */
function excelSerialDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial >= 2_958_466) return null;
  return new Date(excelEpoch + Math.floor(serial) * dayMs).toISOString().slice(0, 10);
}

/** A mapped cell as the text the schema reads: numeric phone cells as digits, date cells as ISO. */
export function fieldText(field: ImportField, cell: Cell | undefined): string | null {
  if (cell === null || cell === undefined) return null;
  // NUL never means anything in a customer's field, and SQLite cannot take it in SQL text.
  if (typeof cell === "string" && cell.includes("\u0000")) cell = cell.split("\u0000").join("");
  if (dateFields.has(field)) {
    if (cell instanceof Date) return cell.toISOString().slice(0, 10);
    if (typeof cell === "number") return excelSerialDate(cell) ?? String(cell);
    if (/^\d{5}$/.test(cell.trim())) return excelSerialDate(Number(cell)) ?? cell;
    return cell;
  }
  if (phoneFields.has(field) && typeof cell === "number") {
    return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  }
  return typeof cell === "string" ? cell : cellText(cell);
}

export function rawCustomer(cells: Cell[], mapping: ColumnMapping): RawCustomer {
  const value = (field: ImportField) => {
    const index = mapping[field];
    return index === null ? null : fieldText(field, cells[index]);
  };
  return {
    name: value("name"),
    email: value("email"),
    phone: value("phone"),
    whatsapp: value("whatsapp"),
    tags: value("tags"),
    consentAt: value("consentAt"),
    birthDate: value("birthDate"),
    anniversary: value("anniversary"),
  };
}

const issueFields: Record<string, ImportField> = {
  name: "name",
  email: "email",
  phone: "phone",
  whatsapp: "whatsapp",
  tags: "tags",
  consentAt: "consentAt",
  birthDate: "birthDate",
  anniversary: "anniversary",
};

export function prepareRow(cells: Cell[], context: RowContext): PreparedRow {
  if (isBlank(cells)) return { kind: "blank" };
  const raw = rawCustomer(cells, context.mapping);
  const fast = fastCustomer(raw, context.country, context.today, context.ownerId);
  if (fast) return { kind: "ok", customer: fast, raw };
  const parsed = context.schema.safeParse({ ...raw, ownerId: context.ownerId });
  if (parsed.success) {
    return {
      kind: "ok",
      customer: { input: parsed.data, columns: customerColumns(parsed.data) },
      raw,
    };
  }
  // In the order of the mapping form, each message once.
  const found: Array<{ order: number; field: ImportField | null; text: string }> = [];
  for (const issue of parsed.error.issues) {
    const field = issueFields[String(issue.path[0])] ?? null;
    const text = field ? `${fieldLabels[field]}: ${issue.message}` : issue.message;
    if (!found.some((f) => f.text === text))
      found.push({ order: field ? importFields.indexOf(field) : importFields.length, field, text });
  }
  found.sort((a, b) => a.order - b.order);
  const messages = found.map((f) => f.text);
  const fields = [...new Set(found.flatMap((f) => (f.field ? [f.field] : [])))];
  return { kind: "invalid", messages, fields };
}
