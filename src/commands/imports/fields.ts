import type { ImportFormat, ImportMode } from "../../models";

/** The customer fields a file's columns can fill, in the order the mapping form lists them. */
export const importFields = [
  "name",
  "phone",
  "email",
  "whatsapp",
  "tags",
  "consentAt",
  "birthDate",
  "anniversary",
] as const;
export type ImportField = (typeof importFields)[number];

export const fieldLabels: Record<ImportField, string> = {
  name: "Name",
  phone: "Phone",
  email: "E-mail",
  whatsapp: "WhatsApp",
  tags: "Tags",
  consentAt: "Consent date",
  birthDate: "Date of birth",
  anniversary: "Anniversary",
};

/** Fields an update-mode import may change on an existing customer (the phone is the key). */
export const updatableFields = [
  "name",
  "email",
  "whatsapp",
  "consentAt",
  "birthDate",
  "anniversary",
] as const;
export type UpdatableField = (typeof updatableFields)[number];

export const dateFields = new Set<ImportField>(["consentAt", "birthDate", "anniversary"]);
export const phoneFields = new Set<ImportField>(["phone", "whatsapp"]);

/**
 * Header names each field is recognised by, compared after headerKey(): case, spaces and
 * punctuation do not matter ("E-mail", "e mail" and "EMAIL" are all "email").
 */
const aliases: Record<ImportField, string[]> = {
  name: ["name", "full name", "customer name", "customer", "contact name", "client", "client name"],
  phone: [
    "phone",
    "mobile",
    "phoneE164",
    "phone number",
    "mobile number",
    "mobile no",
    "phone no",
    "contact number",
    "cell",
    "telephone",
    "tel",
  ],
  email: ["email", "e-mail", "email address", "e-mail address", "mail"],
  whatsapp: ["whatsapp", "whatsappE164", "whatsapp number", "whatsapp no", "wa number"],
  tags: ["tags", "tag", "labels", "groups"],
  consentAt: ["consent", "consentAt", "consent date", "consent given", "opt in", "opt-in date"],
  birthDate: ["birthday", "dob", "date of birth", "birth date", "birthdate"],
  anniversary: ["anniversary", "anniversary date", "wedding anniversary"],
};

export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

const fieldByKey = new Map<string, ImportField>(
  importFields.flatMap((field) => aliases[field].map((alias) => [headerKey(alias), field])),
);

/** Column index per field; null when the file has no such column (or it is left out). */
export type ColumnMapping = Record<ImportField, number | null>;

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(importFields.map((f) => [f, null])) as ColumnMapping;
}

/** The mapping suggested from the headers: the first column whose header is an alias wins. */
export function suggestMapping(headers: string[]): ColumnMapping {
  const mapping = emptyMapping();
  headers.forEach((header, index) => {
    const field = fieldByKey.get(headerKey(header));
    if (field && mapping[field] === null) mapping[field] = index;
  });
  return mapping;
}

/** How an import treats rows whose phone already belongs to a customer. */
export interface UpdateOptions {
  fields: UpdatableField[];
  /** Fill empty fields only, instead of overwriting them. */
  fillOnly: boolean;
}

/** What the run needs besides the file (stored as JSON in imports.settings). */
export interface ImportSettings {
  mapping: ColumnMapping;
  update: UpdateOptions;
  /** CSV: the detected delimiter. */
  delimiter?: string;
  /** XLSX: the chosen sheet's name (the first visible sheet when absent)… */
  sheet?: string;
  /** …and N of its part xl/worksheets/sheetN.xml, found by the inspection. */
  sheetPart?: string;
  /** Start as soon as the file is inspected (API uploads): no mapping page in between. */
  autoStart?: boolean;
  /** API uploads: the mapping asked for, by header name. */
  requestedMapping?: Partial<Record<ImportField, string>>;
  /** What the rows become: customers (the default) or leads (commands/imports/leadImport.ts). */
  target?: "customers" | "leads";
  /** Leads: column index per lead field, and whether update mode fills empty fields only. */
  leadMapping?: Record<string, number | null>;
}

/** What the inspection found, for the mapping page (stored as JSON in imports.inspection). */
export interface Inspection {
  format: ImportFormat;
  headers: string[];
  /** The first rows after the header, as read. */
  preview: string[][];
  previewRowNumbers: number[];
  sheets: string[];
  sheet?: string;
  delimiter?: string;
}

export interface StartOptions {
  mapping: ColumnMapping;
  mode: ImportMode;
  update: UpdateOptions;
}

export function defaultSettings(): ImportSettings {
  return { mapping: emptyMapping(), update: { fields: [...updatableFields], fillOnly: false } };
}

export function parseSettings(json: string): ImportSettings {
  return { ...defaultSettings(), ...(JSON.parse(json) as Partial<ImportSettings>) };
}

export function parseInspection(json: string | null): Inspection | null {
  return json ? (JSON.parse(json) as Inspection) : null;
}
