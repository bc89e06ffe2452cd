import { AppError } from "../../errors";
import {
  isPlaceholderField,
  paramCount,
  placeholderNumbers,
  type PlaceholderMap,
  type PlaceholderSource,
} from "./params";

/**
 * A WhatsApp template as typed, and the checks Meta would make (plus ours: every placeholder has
 * a source), so a template is refused here with every field's reason rather than by Meta later.
 */
export const templateCategories = ["MARKETING", "UTILITY"] as const;
export type WhatsAppCategory = (typeof templateCategories)[number];

export interface TemplateButton {
  type: "QUICK_REPLY" | "URL";
  text: string;
  url?: string;
}

/** A placeholder's source as the form sends it: a field (with fallback) or "fixed" (with text). */
export interface PlaceholderChoice {
  source: string;
  value: string;
}

export interface WhatsAppTemplateInput {
  name: string;
  language: string;
  category: string;
  headerText: string;
  body: string;
  footerText: string;
  buttons: TemplateButton[];
  /** By placeholder number ("1", "2", …); extra numbers the body does not use are ignored. */
  placeholders: Record<string, PlaceholderChoice>;
}

export interface ValidTemplate {
  name: string;
  language: string;
  category: WhatsAppCategory;
  headerText: string | null;
  body: string;
  footerText: string | null;
  buttons: TemplateButton[];
  placeholderMap: PlaceholderMap;
}

const limits = { header: 60, body: 1024, footer: 60, button: 25, fixed: 200 };

function bodyProblem(body: string): string | null {
  if (!body) return "Write the message body.";
  if (body.length > limits.body) return `At most ${limits.body} characters (Meta's limit).`;
  const numbers = placeholderNumbers(body);
  const highest = paramCount(body);
  for (let n = 1; n <= highest; n += 1)
    if (!numbers.includes(n))
      return `Placeholders are numbered {{1}}, {{2}}… with none skipped: {{${n}}} is missing.`;
  if (numbers.includes(0)) return "Placeholders start at {{1}}.";
  const trimmed = body.trim();
  if (/^\{\{\s*\d+\s*\}\}/.test(trimmed) || /\{\{\s*\d+\s*\}\}[.!?]?$/.test(trimmed))
    return "Meta refuses a body that starts or ends with a placeholder: add words around it.";
  return null;
}

function sourceOf(choice: PlaceholderChoice | undefined): PlaceholderSource | string {
  if (!choice || !choice.source) return "Choose what fills this placeholder.";
  const value = choice.value.trim();
  if (choice.source === "fixed") {
    if (!value) return "Type the fixed text.";
    if (value.length > limits.fixed) return `At most ${limits.fixed} characters.`;
    return { fixed: value };
  }
  if (!isPlaceholderField(choice.source)) return "Choose a customer field or a fixed text.";
  if (value.length > limits.fixed) return `At most ${limits.fixed} characters.`;
  if (choice.source === "customer.email" && !value)
    return "Some customers have no e-mail: type the text to use for them.";
  return value ? { field: choice.source, fallback: value } : { field: choice.source };
}

/** The template, checked and normalised; every problem at once as field errors otherwise. */
export function validateWhatsAppTemplate(input: WhatsAppTemplateInput): ValidTemplate {
  const errors: Record<string, string> = {};
  const name = input.name.trim();
  const language = input.language.trim();
  const headerText = input.headerText.trim();
  const body = input.body.trim();
  const footerText = input.footerText.trim();
  if (!/^[a-z0-9_]{1,128}$/.test(name))
    errors.name = "Use lowercase letters, digits and underscores (Meta's rule), e.g. diwali_offer.";
  if (!/^[a-z]{2,3}(_[A-Z]{2,4})?$/.test(language))
    errors.language = 'A language code such as "en" or "en_US", exactly as Meta approves it.';
  if (!(templateCategories as readonly string[]).includes(input.category))
    errors.category = "Choose Marketing or Utility.";
  if (headerText.length > limits.header) errors.headerText = `At most ${limits.header} characters.`;
  else if (placeholderNumbers(headerText).length)
    errors.headerText = "Placeholders go in the body only.";
  if (footerText.length > limits.footer) errors.footerText = `At most ${limits.footer} characters.`;
  else if (placeholderNumbers(footerText).length)
    errors.footerText = "Placeholders go in the body only.";
  const problem = bodyProblem(body);
  if (problem) errors.body = problem;

  const placeholderMap: PlaceholderMap = {};
  if (!problem)
    for (let n = 1; n <= paramCount(body); n += 1) {
      const source = sourceOf(input.placeholders[String(n)]);
      if (typeof source === "string") errors[`p${n}`] = source;
      else placeholderMap[String(n)] = source;
    }

  if (input.buttons.length > 3) errors.buttons = "At most three buttons.";
  input.buttons.forEach((button, i) => {
    const key = `button${i + 1}`;
    if (!button.text.trim() || button.text.trim().length > limits.button)
      errors[key] = `A button's text is 1 to ${limits.button} characters.`;
    else if (button.type === "URL" && !/^https:\/\/[^\s]+$/.test(button.url ?? ""))
      errors[key] = "A link button needs an https:// address.";
  });

  if (Object.keys(errors).length > 0)
    throw AppError.validation(errors, "The template needs a few changes before it can be saved.");
  return {
    name,
    language,
    category: input.category as WhatsAppCategory,
    headerText: headerText || null,
    body,
    footerText: footerText || null,
    buttons: input.buttons.map((b) => ({
      type: b.type,
      text: b.text.trim(),
      ...(b.type === "URL" ? { url: b.url } : {}),
    })),
    placeholderMap,
  };
}
