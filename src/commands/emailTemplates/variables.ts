/**
 * The variables an e-mail template may use ({{customer.name}}…), how a template's text is checked
 * for them, and how they are filled in. Values go into HTML escaped: a customer named
 * `<script>` is shown as text, never run. Unknown variables are refused when the template is saved,
 * so a campaign never goes out with a literal "{{customer.nmae}}" in it.
 */

/** What a message is filled from: one customer of one business, and the message's own links. */
export interface MergeData {
  customer: { name: string; email: string | null; phoneE164: string | null };
  business: { name: string };
  /** The recipient's own unsubscribe page (signed); a preview gets a harmless one. */
  unsubscribeUrl: string;
}

interface VariableSpec {
  description: string;
  value: (data: MergeData) => string;
}

/** First word of a name ("Meera Iyer" → "Meera"); the whole name when it has one word. */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? "";
}

export const variables: Readonly<Record<string, VariableSpec>> = {
  "customer.name": { description: "Full name", value: (d) => d.customer.name },
  "customer.first_name": {
    description: "First word of the name",
    value: (d) => firstNameOf(d.customer.name),
  },
  "customer.email": { description: "E-mail address", value: (d) => d.customer.email ?? "" },
  "customer.phone": { description: "Phone (E.164)", value: (d) => d.customer.phoneE164 ?? "" },
  "business.name": { description: "Your business's name", value: (d) => d.business.name },
  unsubscribe_url: {
    description: "The recipient's one-click unsubscribe link",
    value: (d) => d.unsubscribeUrl,
  },
};

export const variableNames = Object.keys(variables);

/** Variables that name a customer field this CRM does not keep, with what to use instead. */
const notKept: Record<string, string> = {
  "customer.city": "customers have no city field in this CRM",
  "customer.last_name": "use {{customer.name}} (names are kept whole)",
};

/** `{{ name }}` with optional spaces; `{{{` (raw, unescaped insertion) is refused separately. */
const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Why the text's variables cannot be used, or null. */
export function variableProblem(text: string): string | null {
  if (text.includes("{{{"))
    return "Triple braces {{{…}}} are not allowed: every variable is inserted as escaped text.";
  const unknown: string[] = [];
  const reasons: string[] = [];
  for (const match of text.matchAll(placeholder)) {
    const name = match[1] ?? "";
    if (name in variables) continue;
    if (!unknown.includes(name)) unknown.push(name);
    const reason = notKept[name];
    if (reason && !reasons.includes(reason)) reasons.push(reason);
  }
  if (unknown.length > 0) {
    const list = unknown.map((name) => `{{${name}}}`).join(", ");
    const why = reasons.length > 0 ? ` (${reasons.join("; ")})` : "";
    return `Unknown variable ${list}${why}. Use one of: ${variableNames.map((n) => `{{${n}}}`).join(", ")}.`;
  }
  const rest = text.replace(placeholder, "");
  if (rest.includes("{{") || rest.includes("}}"))
    return "A variable is not closed: write it as {{customer.name}}, with two braces on each side.";
  return null;
}

const htmlEscapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => htmlEscapes[ch] ?? ch);
}

/**
 * Fills in a checked template: `html` escapes every value, `plain` (the subject) keeps it as text
 * but drops line breaks, which have no place in a header.
 */
export function fillVariables(text: string, data: MergeData, mode: "html" | "plain"): string {
  return text.replace(placeholder, (whole, name: string) => {
    const spec = variables[name];
    if (!spec) return whole;
    const value = spec.value(data);
    return mode === "html" ? escapeHtml(value) : value.replace(/[\r\n]+/g, " ");
  });
}
