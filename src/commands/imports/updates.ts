import { monthDay } from "../../lib/dates";
import { searchColumns } from "../customers/input";
import type { PreparedCustomer, RawCustomer } from "./fastInput";
import type { UpdatableField, UpdateOptions } from "./fields";
import type { SqlValue } from "../../db/bulk";

/**
 * Update mode: which fields of an existing customer a row changes, as column values to write
 * and as before/after values kept for undo. Only fields the row fills and the import was told to
 * update are touched; an empty cell never erases anything.
 */
export interface ExistingCustomer {
  id: number;
  ownerId: number | null;
  phoneE164: string;
  name: string;
  email: string | null;
  whatsappE164: string | null;
  consentAt: Date | null;
  birthDate: string | null;
  anniversary: string | null;
}

export type FieldValues = Partial<Record<UpdatableField, string | null>>;

export interface CustomerChange {
  set: Record<string, SqlValue>;
  before: FieldValues;
  after: FieldValues;
}

/** A field's value as compared and stored for undo: text, ISO time, or null. */
export function comparableOf(customer: ExistingCustomer, field: UpdatableField): string | null {
  switch (field) {
    case "name":
      return customer.name;
    case "email":
      return customer.email;
    case "whatsapp":
      return customer.whatsappE164;
    case "consentAt":
      return customer.consentAt ? customer.consentAt.toISOString() : null;
    case "birthDate":
      return customer.birthDate;
    case "anniversary":
      return customer.anniversary;
  }
}

function incomingOf(prepared: PreparedCustomer, field: UpdatableField): string | null {
  const input = prepared.input;
  switch (field) {
    case "name":
      return input.name;
    case "email":
      return input.email;
    case "whatsapp":
      return input.whatsappE164;
    case "consentAt":
      return input.consentAt ? input.consentAt.toISOString() : null;
    case "birthDate":
      return input.birthDate;
    case "anniversary":
      return input.anniversary;
  }
}

/** The columns that store a field's value (derived search columns included). */
export function columnsFor(
  field: UpdatableField,
  value: string | null,
  phoneE164: string,
): Record<string, SqlValue> {
  switch (field) {
    case "name": {
      const search = searchColumns(value ?? "", phoneE164);
      return { name: value, name_key: search.nameKey, name_tail: search.nameTail };
    }
    case "email":
      return { email: value };
    case "whatsapp":
      return { whatsapp_e164: value };
    case "consentAt":
      return { consent_at: value ? new Date(value) : null };
    case "birthDate":
      return { birth_date: value, birthday_md: value ? monthDay(value) : null };
    case "anniversary":
      return { anniversary: value, anniversary_md: value ? monthDay(value) : null };
  }
}

export function computeChange(
  existing: ExistingCustomer,
  prepared: PreparedCustomer,
  raw: RawCustomer,
  options: UpdateOptions,
): CustomerChange | null {
  const change: CustomerChange = { set: {}, before: {}, after: {} };
  for (const field of options.fields) {
    // Only what the row fills: an empty cell never erases a value.
    if (!raw[field]?.trim()) continue;
    const before = comparableOf(existing, field);
    if (options.fillOnly && before !== null && before !== "") continue;
    const after = incomingOf(prepared, field);
    if (after === null || after === before) continue;
    change.before[field] = before;
    change.after[field] = after;
    Object.assign(change.set, columnsFor(field, after, existing.phoneE164));
  }
  return Object.keys(change.after).length > 0 ? change : null;
}
