import { UniqueConstraintError } from "sequelize";
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { MessageTemplate } from "../../models";
import { findInBusiness, scopeOf, tenantWhere, type Scoped } from "../../tenancy/scope";
import { htmlToText } from "./htmlToText";
import { variableProblem } from "./variables";

/**
 * E-mail templates (message_templates rows with channel 'email'): a name, a subject and an HTML
 * body with variables. They need no provider's approval, so they are saved as approved; the text
 * column `body` keeps the generated text version of the (unfilled) HTML.
 */
export const emailTemplateSchema = z.object({
  name: z
    .string({ error: "Give the template a name." })
    .trim()
    .min(1, { error: "Give the template a name." })
    .max(128, { error: "Keep the name under 128 characters." }),
  subject: z
    .string({ error: "Write a subject." })
    .trim()
    .min(1, { error: "Write a subject." })
    .max(300, { error: "Keep the subject under 300 characters." }),
  html_body: z
    .string({ error: "Write the message." })
    .min(1, { error: "Write the message." })
    .max(500_000, { error: "The message is too long (500,000 characters at most)." })
    .refine((html) => html.trim() !== "", { error: "Write the message." }),
});
export type EmailTemplateInput = z.output<typeof emailTemplateSchema>;

/** E-mail templates are one language each in this CRM; the column is WhatsApp's. */
const language = "en";

export const unsubscribeRequired =
  'Add {{unsubscribe_url}} to the message (e.g. <a href="{{unsubscribe_url}}">Unsubscribe</a>): every campaign e-mail must let its reader unsubscribe.';

/** Field errors of the variables: unknown ones, unclosed ones, no unsubscribe link. */
export function templateProblems(input: EmailTemplateInput): Record<string, string> {
  const errors: Record<string, string> = {};
  const subject = variableProblem(input.subject);
  if (subject) errors.subject = subject;
  const body = variableProblem(input.html_body);
  if (body) errors.html_body = body;
  else if (!/\{\{\s*unsubscribe_url\s*\}\}/.test(input.html_body))
    errors.html_body = unsubscribeRequired;
  return errors;
}

function check(input: EmailTemplateInput): void {
  const errors = templateProblems(input);
  if (Object.keys(errors).length > 0)
    throw AppError.validation(errors, "The template cannot be saved yet.");
}

function nameTaken(): AppError {
  return AppError.validation(
    { name: "Another e-mail template already has this name." },
    "The template cannot be saved yet.",
  );
}

export async function listEmailTemplates(deps: Pick<Deps, "models">, ctx: Scoped) {
  return deps.models.MessageTemplate.findAll({
    where: tenantWhere(ctx, deps.models.MessageTemplate, { channel: "email" }),
    attributes: ["id", "name", "subject", "updatedAt"],
    order: [
      ["updatedAt", "DESC"],
      ["id", "DESC"],
    ],
    limit: 500,
  });
}

/** One e-mail template of the business (404 for another business's or a WhatsApp template). */
export async function loadEmailTemplate(
  deps: Pick<Deps, "models">,
  ctx: Scoped,
  id: number,
): Promise<MessageTemplate> {
  const template = await findInBusiness(ctx, deps.models.MessageTemplate, id);
  if (template.channel !== "email") throw AppError.notFound();
  return template;
}

export async function createEmailTemplate(
  deps: Pick<Deps, "models" | "clock">,
  ctx: Scoped,
  input: EmailTemplateInput,
): Promise<MessageTemplate> {
  check(input);
  const now = deps.clock.now();
  try {
    return await deps.models.MessageTemplate.create({
      businessId: scopeOf(ctx).businessId,
      channel: "email",
      name: input.name,
      language,
      subject: input.subject,
      htmlBody: input.html_body,
      body: htmlToText(input.html_body),
      status: "approved",
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw nameTaken();
    throw error;
  }
}

export async function updateEmailTemplate(
  deps: Pick<Deps, "models" | "clock">,
  template: MessageTemplate,
  input: EmailTemplateInput,
): Promise<MessageTemplate> {
  check(input);
  try {
    return await template.update({
      name: input.name,
      subject: input.subject,
      htmlBody: input.html_body,
      body: htmlToText(input.html_body),
      updatedAt: deps.clock.now(),
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw nameTaken();
    throw error;
  }
}

/** A starting point for a new template: a greeting, a link and the unsubscribe footer. */
export const starterTemplate: EmailTemplateInput = {
  name: "",
  subject: "News from {{business.name}}",
  html_body: [
    "<p>Hello {{customer.first_name}},</p>",
    "<p>Write your message here.</p>",
    '<p><a href="https://www.example.com">Visit our website</a></p>',
    '<p style="font-size:12px;color:#666">You receive this because you are a customer of {{business.name}}. <a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
  ].join("\n"),
};
