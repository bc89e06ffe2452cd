import { submitTemplate } from "../../commands/messageTemplates/approval";
import { deleteMessageTemplate } from "../../commands/messageTemplates/deletion";
import { parsePlaceholderMap } from "../../commands/messageTemplates/params";
import { parseButtons } from "../../commands/messageTemplates/approval";
import {
  createWhatsAppTemplate,
  findTemplate,
  pageTemplates,
  updateWhatsAppTemplate,
} from "../../commands/messageTemplates/templates";
import type { WhatsAppTemplateInput } from "../../commands/messageTemplates/validation";
import {
  createEmailTemplate,
  loadEmailTemplate,
  updateEmailTemplate,
  type EmailTemplateInput,
} from "../../commands/emailTemplates/templates";
import { AppError } from "../../errors";
import type { ApiCall, LoadCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf } from "../../http/pagination";
import type { ChannelKind, MessageTemplate } from "../../models";
import { presentEmailTemplate, presentWhatsAppTemplate } from "../../presenters/messageTemplates";
import type { TenantContext } from "../../tenancy/context";
import type {
  apiEmailTemplatePatchSchema,
  apiNewEmailTemplateSchema,
  apiNewWhatsAppTemplateSchema,
  apiWhatsAppTemplatePatchSchema,
  emailApiParams,
  templatePageSchema,
  WhatsAppTemplateBody,
  whatsAppApiParams,
} from "./apiSchema";

type OneWhatsApp = { params: typeof whatsAppApiParams; record: MessageTemplate };
type OneEmail = { params: typeof emailApiParams; record: MessageTemplate };

export function loadWhatsAppTemplate({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { whatsappTemplateId: number }>) {
  return findTemplate(deps, ctx, params.whatsappTemplateId, "whatsapp");
}

export function loadEmailTemplateApi({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { emailTemplateId: number }>) {
  return loadEmailTemplate(deps, ctx, params.emailTemplateId);
}

/**
 * The commands name fields as the pages' forms do (p1, button2, html_body); the API answers
 * in its own names (placeholders.1, buttons.1, htmlBody) so a client can point at its field.
 */
const apiNames: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^p(\d+)$/, (m) => `placeholders.${m[1]}`],
  [/^button(\d+)$/, (m) => `buttons.${Number(m[1]) - 1}`],
  [/^html_body$/, () => "htmlBody"],
];

async function inApiNames<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const fields = error instanceof AppError ? error.details?.fields : undefined;
    if (!(error instanceof AppError) || error.id !== "validation_failed" || !fields) throw error;
    const renamed: Record<string, string> = {};
    for (const [key, reason] of Object.entries(fields as Record<string, string>)) {
      const rule = apiNames.map(([re, to]) => [re.exec(key), to] as const).find(([m]) => m);
      renamed[rule?.[0] ? rule[1](rule[0]) : key] = reason;
    }
    throw AppError.validation(renamed, error.message);
  }
}

/** A JSON body over a template's current values (none for a new one), in the command's input. */
function whatsAppInput(
  body: WhatsAppTemplateBody,
  current?: MessageTemplate,
): WhatsAppTemplateInput {
  const placeholders = body.placeholders ?? parsePlaceholderMap(current?.placeholderMap ?? null);
  return {
    name: body.name ?? current?.name ?? "",
    language: body.language ?? current?.language ?? "",
    category: body.category ?? current?.category ?? "",
    headerText: (body.headerText === undefined ? current?.headerText : body.headerText) ?? "",
    body: body.body ?? current?.body ?? "",
    footerText: (body.footerText === undefined ? current?.footerText : body.footerText) ?? "",
    buttons: (body.buttons ?? parseButtons(current?.buttons ?? null)).map((b) => ({
      type: b.type,
      text: b.text,
      url: b.url ?? "",
    })),
    placeholders: Object.fromEntries(
      Object.entries(placeholders).map(([n, source]) => [
        n,
        "fixed" in source
          ? { source: "fixed", value: source.fixed }
          : { source: source.field, value: source.fallback ?? "" },
      ]),
    ),
  };
}

async function listOf(
  { deps, ctx, query }: ApiCall<{ query: typeof templatePageSchema }>,
  channel: ChannelKind,
) {
  const afterId = query.cursor ? decodeCursor(idPosition, query.cursor).id : undefined;
  const rows = await pageTemplates(deps, ctx, channel, { limit: query.limit, afterId });
  return pageOf(rows, query.limit, (last) => ({ id: last.id }));
}

/** GET /api/v1/whatsapp-templates */
export async function listWhatsAppApi(call: ApiCall<{ query: typeof templatePageSchema }>) {
  const { rows, nextCursor } = await listOf(call, "whatsapp");
  return page(rows.map(presentWhatsAppTemplate), nextCursor, `${rows.length} template(s).`);
}

/** POST /api/v1/whatsapp-templates: a draft. */
export async function createWhatsAppApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof apiNewWhatsAppTemplateSchema }>) {
  const template = await inApiNames(() => createWhatsAppTemplate(deps, ctx, whatsAppInput(body)));
  return reply(presentWhatsAppTemplate(template), "Draft saved.", {
    status: 201,
    location: `/api/v1/whatsapp-templates/${template.id}`,
  });
}

/** GET /api/v1/whatsapp-templates/:whatsappTemplateId */
export function showWhatsAppApi({ record }: ApiCall<OneWhatsApp>) {
  return reply(presentWhatsAppTemplate(record), "WhatsApp template.");
}

/** PATCH /api/v1/whatsapp-templates/:whatsappTemplateId: drafts and rejected ones only (409). */
export async function updateWhatsAppApi({
  deps,
  ctx,
  body,
  record,
}: ApiCall<OneWhatsApp & { body: typeof apiWhatsAppTemplatePatchSchema }>) {
  const template = await inApiNames(() =>
    updateWhatsAppTemplate(deps, ctx, record, whatsAppInput(body, record)),
  );
  return reply(presentWhatsAppTemplate(template), "Template saved as a draft.");
}

/** POST /api/v1/whatsapp-templates/:whatsappTemplateId/submit: the page's "Submit for approval". */
export async function submitWhatsAppApi({ deps, ctx, record }: ApiCall<OneWhatsApp>) {
  const template = await submitTemplate(deps, ctx, record, ctx.business.name);
  return reply(presentWhatsAppTemplate(template), `Submitted to Meta: ${template.status}.`);
}

/** DELETE of either channel's template: refused (409) while an unfinished campaign uses it. */
export async function deleteTemplateApi({
  deps,
  ctx,
  record,
}: ApiCall<{ record: MessageTemplate }>) {
  await deleteMessageTemplate(deps, ctx, record);
  return reply({ id: record.id }, "Template deleted.");
}

/** GET /api/v1/email-templates */
export async function listEmailApi(call: ApiCall<{ query: typeof templatePageSchema }>) {
  const { rows, nextCursor } = await listOf(call, "email");
  return page(rows.map(presentEmailTemplate), nextCursor, `${rows.length} template(s).`);
}

const emailInput = (
  body: { name?: string; subject?: string; htmlBody?: string },
  current?: MessageTemplate,
): EmailTemplateInput => ({
  name: (body.name ?? current?.name ?? "").trim(),
  subject: (body.subject ?? current?.subject ?? "").trim(),
  html_body: body.htmlBody ?? current?.htmlBody ?? "",
});

/** Empty values the pages' form schema refuses, refused here the same way (before the command). */
function required(input: EmailTemplateInput): EmailTemplateInput {
  const errors: Record<string, string> = {};
  if (!input.name) errors.name = "Give the template a name.";
  if (!input.subject) errors.subject = "Write a subject.";
  if (!input.html_body.trim()) errors.htmlBody = "Write the message.";
  if (Object.keys(errors).length) throw AppError.validation(errors);
  return input;
}

/** POST /api/v1/email-templates */
export async function createEmailApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof apiNewEmailTemplateSchema }>) {
  const input = required(emailInput(body));
  const template = await inApiNames(() => createEmailTemplate(deps, ctx, input));
  return reply(presentEmailTemplate(template), "E-mail template saved.", {
    status: 201,
    location: `/api/v1/email-templates/${template.id}`,
  });
}

/** GET /api/v1/email-templates/:emailTemplateId */
export function showEmailApi({ record }: ApiCall<OneEmail>) {
  return reply(presentEmailTemplate(record), "E-mail template.");
}

/** PATCH /api/v1/email-templates/:emailTemplateId */
export async function updateEmailApi({
  deps,
  body,
  record,
}: ApiCall<OneEmail & { body: typeof apiEmailTemplatePatchSchema }>) {
  const input = required(emailInput(body, record));
  const template = await inApiNames(() => updateEmailTemplate(deps, record, input));
  return reply(presentEmailTemplate(template), "E-mail template saved.");
}
