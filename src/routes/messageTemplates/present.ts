import {
  paramCount,
  parsePlaceholderMap,
  placeholderFields,
  renderWhatsAppBody,
  renderWhatsAppParams,
  type ParamCustomer,
} from "../../commands/messageTemplates/params";
import { parseButtons } from "../../commands/messageTemplates/approval";
import type { WhatsAppTemplateInput } from "../../commands/messageTemplates/validation";
import { formatDateTime } from "../../lib/dates";
import type { MessageTemplate, TemplateStatus } from "../../models";
import { maxButtons, maxPlaceholders } from "./schema";

/** Templates as their pages show them: status words and colours, placeholder rows, the preview. */
const statusView: Record<TemplateStatus, { label: string; badge: string }> = {
  draft: { label: "Draft", badge: "text-bg-secondary" },
  pending: { label: "Pending approval", badge: "text-bg-warning" },
  approved: { label: "Approved", badge: "text-bg-success" },
  rejected: { label: "Rejected", badge: "text-bg-danger" },
};

export function statusOf(status: TemplateStatus) {
  return statusView[status] ?? statusView.draft;
}

export function presentRow(template: MessageTemplate) {
  const whatsapp = template.channel === "whatsapp";
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    channel: template.channel,
    channelLabel: whatsapp ? "WhatsApp" : "E-mail",
    channelIcon: whatsapp ? "fa-brands fa-whatsapp" : "fa-solid fa-envelope",
    href: whatsapp ? `/campaigns/templates/${template.id}` : `/email-templates/${template.id}`,
    summary: (whatsapp ? template.body : (template.subject ?? template.body)).slice(0, 90),
    status: template.status,
    ...statusOf(template.status),
  };
}

/** Form values of a saved template, in the form's own field names. */
export function formValuesOf(template: MessageTemplate): Record<string, string> {
  const values: Record<string, string> = {
    name: template.name,
    language: template.language,
    category: template.category ?? "MARKETING",
    headerText: template.headerText ?? "",
    body: template.body,
    footerText: template.footerText ?? "",
  };
  for (const [n, source] of Object.entries(parsePlaceholderMap(template.placeholderMap))) {
    values[`p${n}_source`] = "fixed" in source ? "fixed" : source.field;
    values[`p${n}_value`] = "fixed" in source ? source.fixed : (source.fallback ?? "");
  }
  parseButtons(template.buttons).forEach((b, i) => {
    values[`button${i + 1}_type`] = b.type;
    values[`button${i + 1}_text`] = b.text;
    values[`button${i + 1}_url`] = b.url ?? "";
  });
  return values;
}

/** The form's values from a parsed input (a failed save shows what was typed). */
export function formValuesFromInput(
  input: Partial<WhatsAppTemplateInput> & Record<string, unknown>,
) {
  return Object.fromEntries(
    Object.entries(input).filter(([, v]) => typeof v === "string"),
  ) as Record<string, string>;
}

/** The rows of the form: one per placeholder the body uses (at least three), and three buttons. */
export function formRows(values: Record<string, string>, errors: Record<string, string>) {
  const count = Math.min(maxPlaceholders, Math.max(3, paramCount(values.body ?? "")));
  const placeholders = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const source = values[`p${n}_source`] ?? (n === 1 ? "customer.first_name" : "");
    return {
      n,
      value: values[`p${n}_value`] ?? "",
      error: errors[`p${n}`],
      options: [
        { value: "", label: "— not used —" },
        ...Object.entries(placeholderFields).map(([value, label]) => ({ value, label })),
        { value: "fixed", label: "Fixed text" },
      ].map((o) => ({ ...o, selected: o.value === source })),
    };
  });
  const buttons = Array.from({ length: maxButtons }, (_, i) => {
    const k = `button${i + 1}`;
    const type = values[`${k}_type`] ?? "";
    return {
      i: i + 1,
      text: values[`${k}_text`] ?? "",
      url: values[`${k}_url`] ?? "",
      error: errors[k],
      types: [
        { value: "", label: "No button" },
        { value: "QUICK_REPLY", label: "Quick reply" },
        { value: "URL", label: "Link" },
      ].map((o) => ({ ...o, selected: o.value === type })),
    };
  });
  const category = values.category ?? "MARKETING";
  return {
    placeholders,
    buttons,
    categories: [
      { value: "MARKETING", label: "Marketing (offers, news)" },
      { value: "UTILITY", label: "Utility (updates a customer asked for)" },
    ].map((o) => ({ ...o, selected: o.value === category })),
  };
}

/** The template as one customer would receive it, or why it cannot be shown. */
export function presentPreview(
  template: MessageTemplate,
  customer: ParamCustomer | null,
  businessName: string,
) {
  const sample = customer ?? { name: "Asha Verma", email: null, phoneE164: "+919876543210" };
  try {
    const params = renderWhatsAppParams(template, sample, { businessName });
    return {
      ok: true,
      header: template.headerText,
      body: renderWhatsAppBody(template.body, params),
      // Lines, so the view keeps the body's line breaks without inline styles (the CSP forbids them).
      bodyLines: renderWhatsAppBody(template.body, params).split("\n"),
      footer: template.footerText,
      buttons: parseButtons(template.buttons),
      params: params.map((value, i) => ({ n: i + 1, value })),
    };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The placeholder table of the template page. */
export function presentMapping(template: MessageTemplate) {
  return Object.entries(parsePlaceholderMap(template.placeholderMap))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([n, source]) => ({
      n,
      source:
        "fixed" in source
          ? `Fixed text "${source.fixed}"`
          : `${placeholderFields[source.field] ?? source.field}${source.fallback ? ` (or "${source.fallback}" when empty)` : ""}`,
    }));
}

export function presentDetail(template: MessageTemplate, timeZone: string) {
  return {
    ...presentRow(template),
    category: template.category,
    rejectionReason: template.rejectionReason,
    providerTemplateId: template.providerTemplateId,
    submitted: template.submittedAt ? formatDateTime(template.submittedAt, timeZone) : null,
    synced: template.statusSyncedAt ? formatDateTime(template.statusSyncedAt, timeZone) : null,
    editable: template.status === "draft" || template.status === "rejected",
    submittable: template.status === "draft",
    syncable: template.status !== "draft",
  };
}
