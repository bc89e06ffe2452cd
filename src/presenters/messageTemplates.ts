import { parseButtons } from "../commands/messageTemplates/approval";
import { parsePlaceholderMap } from "../commands/messageTemplates/params";
import type { MessageTemplate } from "../models";

/** Templates as the API answers them (routes/messageTemplates/apiSchema.ts). */
export function presentWhatsAppTemplate(template: MessageTemplate) {
  // A row just created has no value yet for columns it did not set: null, as when read back.
  return {
    id: template.id,
    name: template.name,
    language: template.language,
    category: template.category ?? null,
    status: template.status,
    rejectionReason: template.rejectionReason ?? null,
    headerText: template.headerText ?? null,
    body: template.body,
    footerText: template.footerText ?? null,
    buttons: parseButtons(template.buttons).map((b) => ({
      type: b.type,
      text: b.text,
      ...(b.url ? { url: b.url } : {}),
    })),
    placeholders: parsePlaceholderMap(template.placeholderMap),
    providerTemplateId: template.providerTemplateId ?? null,
    submittedAt: template.submittedAt?.toISOString() ?? null,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
  };
}

export function presentEmailTemplate(template: MessageTemplate) {
  return {
    id: template.id,
    name: template.name,
    subject: template.subject ?? "",
    htmlBody: template.htmlBody ?? "",
    textBody: template.body,
    createdAt: template.createdAt.toISOString(),
    updatedAt: template.updatedAt.toISOString(),
  };
}
