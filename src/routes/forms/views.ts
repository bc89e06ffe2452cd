import {
  choiceTypes,
  fieldTargetLabels,
  fieldTypeLabels,
  parseFields,
} from "../../commands/forms/fields";
import type { MemberChoice } from "../../commands/members";
import type { Form, FormField } from "../../models";
import { formAssignments, formFieldTargets, formFieldTypes } from "../../models/Form";

const assignmentLabels: Record<(typeof formAssignments)[number], string> = {
  none: "Nobody (the business owner is notified)",
  member: "A member",
  round_robin: "Round-robin among the members chosen in lead assignment settings",
};

type Values = Record<string, unknown>;
const str = (value: unknown) => (value === null || value === undefined ? "" : String(value));

/** The form's public address as visitors and the embed snippet use it. */
export function publicUrl(origin: string, form: Pick<Form, "slug">): string {
  return `${origin}/f/${form.slug}`;
}

/** The iframe to paste into a website; it fits the page's width. */
export function embedSnippet(origin: string, form: Pick<Form, "slug" | "title">): string {
  const title = form.title.replace(/"/g, "&quot;");
  return `<iframe src="${publicUrl(origin, form)}" title="${title}" width="100%" height="720" style="border:0;max-width:640px" loading="lazy"></iframe>`;
}

/** The forms list's rows. */
export function formRows(forms: Form[]) {
  return forms.map((form) => ({
    id: form.id,
    title: form.title,
    kind: form.kind === "support" ? "Support" : "Lead",
    published: form.status === "published",
    slug: form.slug,
    submissions: Number(form.submissionCount),
    spam: Number(form.spamCount),
  }));
}

/** The settings form's values, from the form or as typed. */
export function settingsValues(form: Form): Values {
  return {
    title: form.title,
    description: form.description ?? "",
    successMessage: form.successMessage ?? "",
    redirectUrl: form.redirectUrl ?? "",
    color: form.color,
    slug: form.slug,
    source: form.source,
    campaignName: form.campaignName ?? "",
    assignment: form.assignment,
    assigneeId: form.assigneeId ?? "",
  };
}

export function settingsView(values: Values, members: MemberChoice[]) {
  return {
    assignmentOptions: formAssignments.map((value) => ({
      value,
      label: assignmentLabels[value],
      selected: str(values.assignment) === value,
    })),
    assigneeOptions: [
      { value: "", label: "Choose a member", selected: str(values.assigneeId) === "" },
      ...members.map((m) => ({
        value: String(m.id),
        label: m.name,
        selected: str(values.assigneeId) === String(m.id),
      })),
    ],
  };
}

/** The builder's field list: what each field is, and whether it can move up or down. */
export function fieldRows(form: Form) {
  const fields = parseFields(form.fields);
  return fields.map((field, index) => ({
    ...field,
    typeLabel: fieldTypeLabels[field.type],
    targetLabel: field.target ? fieldTargetLabels[field.target] : null,
    optionsText: field.options.join(", "),
    first: index === 0,
    last: index === fields.length - 1,
  }));
}

/** The add/edit field form's values and choices. */
export function fieldFormView(values: Values) {
  return {
    typeOptions: formFieldTypes.map((value) => ({
      value,
      label: fieldTypeLabels[value],
      selected: str(values.type) === value,
    })),
    targetOptions: formFieldTargets.map((value) => ({
      value,
      label: fieldTargetLabels[value],
      selected: str(values.target) === value,
    })),
  };
}

export function fieldValues(field: FormField): Values {
  return {
    type: field.type,
    label: field.label,
    helpText: field.helpText ?? "",
    required: field.required,
    options: field.options.join("\n"),
    target: field.target,
  };
}

export const blankField: Values = { type: "text", target: "", required: false };

/** The public page's fields, with what the visitor typed and each one's error. */
export function publicFields(
  fields: FormField[],
  values: Record<string, string | string[]>,
  errors: Record<string, string>,
) {
  return fields.map((field) => {
    const value = values[field.key] ?? "";
    const list = Array.isArray(value) ? value : [value];
    const text = Array.isArray(value) ? (value[0] ?? "") : value;
    return {
      ...field,
      name: field.key,
      value: text,
      error: errors[field.key],
      isText: ["text", "email", "phone", "number", "date"].includes(field.type),
      inputType: {
        text: "text",
        email: "email",
        phone: "tel",
        number: "text",
        date: "date",
      }[field.type as string],
      inputMode: field.type === "number" ? "decimal" : null,
      autocomplete:
        field.type === "email"
          ? "email"
          : field.type === "phone"
            ? "tel"
            : field.target === "fullName"
              ? "name"
              : field.target === "company"
                ? "organization"
                : "off",
      isTextarea: field.type === "textarea",
      isDropdown: field.type === "dropdown",
      isChoice: choiceTypes.includes(field.type) && field.type !== "dropdown",
      isCheckbox: field.type === "checkbox",
      isConsent: field.type === "consent",
      checked: field.type === "consent" && (text === "on" || text === "yes"),
      choices: field.options.map((option, i) => ({
        value: option,
        id: `field-${field.key}-${i}`,
        selected: list.includes(option),
      })),
    };
  });
}
