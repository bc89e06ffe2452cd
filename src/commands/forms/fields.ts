import { z } from "zod";
import {
  formFieldTargets,
  formFieldTypes,
  type FormField,
  type FormFieldTarget,
  type FormFieldType,
} from "../../models/Form";

/** The most fields a form may have, and choices a choice field may offer. */
export const maxFields = 30;
export const maxOptions = 30;

export const fieldTypeLabels: Record<FormFieldType, string> = {
  text: "Text",
  email: "E-mail",
  phone: "Phone",
  number: "Number",
  dropdown: "Dropdown",
  radio: "Radio buttons",
  checkbox: "Checkboxes",
  textarea: "Long text",
  date: "Date",
  consent: "Consent",
};

export const fieldTargetLabels: Record<FormFieldTarget, string> = {
  "": "Answer only",
  fullName: "Full name",
  firstName: "First name",
  lastName: "Last name",
  company: "Company",
  jobTitle: "Job title",
  location: "Location",
  industry: "Industry",
};

/** Fields whose answer is one of their options. */
export const choiceTypes: readonly FormFieldType[] = ["dropdown", "radio", "checkbox"];

const blankToNull = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? null : value;

const flag = z.preprocess(
  (value) => value === "on" || value === "true" || value === "1" || value === true,
  z.boolean(),
);

/**
 * A field as the builder sends it: its type, label, help text, required flag, choices (one per
 * line) and the lead field it fills. Choice fields need at least two choices; a "text" field may
 * fill a lead field, other types fill their own (e-mail, phone, consent).
 */
export const fieldInputSchema = z
  .object({
    type: z.enum(formFieldTypes, { error: "Choose a field type." }),
    label: z
      .string({ error: "Enter the field's label." })
      .trim()
      .min(1, { error: "Enter the field's label." })
      .max(150, { error: "Keep the label to 150 characters." }),
    helpText: z.preprocess(
      blankToNull,
      z
        .string()
        .trim()
        .max(300, { error: "Keep the help text to 300 characters." })
        .nullable()
        .default(null),
    ),
    required: flag.default(false),
    options: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) => {
        const raw = value === undefined ? [] : Array.isArray(value) ? value : value.split(/\r?\n/);
        return [...new Set(raw.map((option) => option.trim()).filter(Boolean))];
      }),
    target: z.preprocess(
      (value) => value ?? "",
      z.enum(formFieldTargets, { error: "Choose which lead field it fills." }),
    ),
  })
  .superRefine((field, ctx) => {
    if (choiceTypes.includes(field.type)) {
      if (field.options.length < (field.type === "checkbox" ? 1 : 2))
        ctx.addIssue({
          code: "custom",
          path: ["options"],
          message:
            field.type === "checkbox"
              ? "List at least one choice, one per line."
              : "List at least two choices, one per line.",
        });
      if (field.options.length > maxOptions || field.options.some((option) => option.length > 100))
        ctx.addIssue({
          code: "custom",
          path: ["options"],
          message: `List at most ${maxOptions} choices of up to 100 characters each.`,
        });
    }
    if (field.target !== "" && field.type !== "text")
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: "Only a text field fills a lead field; e-mail, phone and consent fill their own.",
      });
  })
  .transform((field): Omit<FormField, "key"> => ({
    ...field,
    options: choiceTypes.includes(field.type) ? field.options : [],
  }));

export type FieldInput = z.output<typeof fieldInputSchema>;

const storedField = z.object({
  key: z.string(),
  type: z.enum(formFieldTypes),
  label: z.string(),
  helpText: z.string().nullable().catch(null),
  required: z.boolean().catch(false),
  options: z.array(z.string()).catch([]),
  target: z.enum(formFieldTargets).catch(""),
});

/** A form's stored fields, in order; a field the code no longer knows is left out. */
export function parseFields(stored: string): FormField[] {
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = storedField.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The next free key (f1, f2, …): never reused, so old answers keep their meaning. */
export function nextFieldKey(fields: FormField[]): string {
  const used = fields.map((f) => Number(/^f(\d+)$/.exec(f.key)?.[1] ?? 0));
  return `f${Math.max(0, ...used) + 1}`;
}

/** A new form starts with the fields nearly every lead form has. */
export function starterFields(): FormField[] {
  const field = (
    key: string,
    type: FormFieldType,
    label: string,
    extra: Partial<FormField> = {},
  ): FormField => ({
    key,
    type,
    label,
    helpText: null,
    required: false,
    options: [],
    target: "",
    ...extra,
  });
  return [
    field("f1", "text", "Your name", { required: true, target: "fullName" }),
    field("f2", "email", "E-mail", { required: true }),
    field("f3", "phone", "Phone", { helpText: "With the country code if outside India." }),
    field("f4", "textarea", "How can we help?"),
    field("f5", "consent", "You may contact me about my enquiry by e-mail or WhatsApp."),
  ];
}

/** Moves the field `key` one place up or down; unchanged at either end. */
export function moveField(fields: FormField[], key: string, direction: "up" | "down"): FormField[] {
  const index = fields.findIndex((f) => f.key === key);
  const target = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= fields.length) return fields;
  const moved = [...fields];
  [moved[index], moved[target]] = [moved[target] as FormField, moved[index] as FormField];
  return moved;
}

/**
 * The fields in the order the drag and drop sent (every key once); null when the list does not
 * name exactly the form's fields (a stale page after someone else changed them).
 */
export function reorderFields(fields: FormField[], keys: string[]): FormField[] | null {
  if (keys.length !== fields.length || new Set(keys).size !== keys.length) return null;
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const ordered = keys.map((key) => byKey.get(key));
  return ordered.every((f): f is FormField => f !== undefined) ? ordered : null;
}
