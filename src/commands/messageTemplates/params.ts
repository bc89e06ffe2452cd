/**
 * A WhatsApp template's placeholders and how each is filled at send time. Pure functions: the
 * campaign sender calls renderWhatsAppParams for every recipient, the preview shows the same text.
 */

/** What a {{n}} is filled with: a field of the customer (with a fallback when it is empty) or a fixed text. */
export type PlaceholderSource = { field: PlaceholderField; fallback?: string } | { fixed: string };

/** The fields a placeholder may name (the same names as e-mail templates' variables). */
export const placeholderFields = {
  "customer.name": "Customer's full name",
  "customer.first_name": "Customer's first name",
  "customer.phone": "Customer's phone",
  "customer.email": "Customer's e-mail",
  "business.name": "Your business's name",
} as const;
export type PlaceholderField = keyof typeof placeholderFields;

export function isPlaceholderField(value: string): value is PlaceholderField {
  return Object.prototype.hasOwnProperty.call(placeholderFields, value);
}

/** "1" → source, for {{1}}…{{n}}. */
export type PlaceholderMap = Record<string, PlaceholderSource>;

/** What the params are filled from. */
export interface ParamCustomer {
  name: string;
  email?: string | null;
  phoneE164?: string | null;
}

export interface ParamTemplate {
  body: string;
  /** The stored JSON text, or the map itself. */
  placeholderMap: string | PlaceholderMap | null;
}

/** Meta refuses a parameter with newlines, tabs or more than four spaces in a row (132018). */
function cleanParam(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, " ")
    .replace(/ {4,}/g, "   ")
    .trim();
}

/** The numbers of the placeholders in a text, in order of appearance ({{ 1 }} counts as {{1}}). */
export function placeholderNumbers(text: string): number[] {
  return [...text.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => Number(m[1]));
}

/** How many parameters the body takes: its highest placeholder number. */
export function paramCount(body: string): number {
  return Math.max(0, ...placeholderNumbers(body));
}

/** The stored map, read defensively: an unreadable value is an empty map. */
export function parsePlaceholderMap(value: string | PlaceholderMap | null): PlaceholderMap {
  if (!value) return {};
  if (typeof value !== "string") return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as PlaceholderMap)
      : {};
  } catch {
    return {};
  }
}

function fieldValue(
  field: PlaceholderField,
  customer: ParamCustomer,
  extra: { businessName?: string },
): string {
  switch (field) {
    case "customer.name":
      return customer.name;
    case "customer.first_name":
      return customer.name.trim().split(/\s+/)[0] ?? "";
    case "customer.phone":
      return customer.phoneE164 ?? "";
    case "customer.email":
      return customer.email ?? "";
    case "business.name":
      return extra.businessName ?? "";
  }
}

/**
 * The body parameters for one customer, in placeholder order ({{1}} first), exactly as many as
 * the body has. An empty field takes its fallback; a placeholder with no source (a template saved
 * before validation) throws, so a send never goes out with a missing parameter.
 */
export function renderWhatsAppParams(
  template: ParamTemplate,
  customer: ParamCustomer,
  extra: { businessName?: string } = {},
): string[] {
  const map = parsePlaceholderMap(template.placeholderMap);
  const params: string[] = [];
  for (let n = 1; n <= paramCount(template.body); n += 1) {
    const source = map[String(n)];
    if (!source) throw new Error(`template placeholder {{${n}}} has no source`);
    const value =
      "fixed" in source
        ? source.fixed
        : cleanParam(fieldValue(source.field, customer, extra)) || (source.fallback ?? "");
    params.push(cleanParam(value));
  }
  return params;
}

/** The body as one customer would read it (the preview). */
export function renderWhatsAppBody(body: string, params: string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n: string) => params[Number(n) - 1] ?? whole);
}
