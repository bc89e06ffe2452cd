import type { Request, Response } from "express";
import {
  previewCustomers,
  previewEmail,
  sendTestEmail,
} from "../../commands/emailTemplates/preview";
import {
  createEmailTemplate,
  listEmailTemplates,
  loadEmailTemplate,
  starterTemplate,
  updateEmailTemplate,
  type EmailTemplateInput,
} from "../../commands/emailTemplates/templates";
import { variables } from "../../commands/emailTemplates/variables";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { emailSetupOf } from "../../integrations/mail/emailSetup";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { MessageTemplate } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import type { emailTemplateSchema, previewSchema, templateParams, testSchema } from "./schema";

type Deps = PageCall["deps"];
type Values = Record<string, unknown>;
type OneTemplate = { params: typeof templateParams; record: MessageTemplate };

/** The template a path names (404 in another business, or for a WhatsApp template). */
export function loadTemplate({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { templateId: number }>) {
  return loadEmailTemplate(deps, ctx, params.templateId);
}

/** GET /email-templates */
export async function showTemplates({ req, res, deps, ctx }: PageCall) {
  const templates = await listEmailTemplates(deps, ctx);
  res.render("messageTemplates/emailList", {
    title: "E-mail templates",
    csrfToken: csrfToken(req),
    templates: templates.map((t) => ({ id: t.id, name: t.name, subject: t.subject ?? "" })),
  });
}

const valuesOf = (template: MessageTemplate): Values => ({
  name: template.name,
  subject: template.subject ?? "",
  html_body: template.htmlBody ?? "",
});

/** Where the e-mail goes out from, or why it cannot (said plainly on the page). */
async function setupView(deps: Deps, ctx: TenantContext) {
  const result = await emailSetupOf(deps, ctx.business.id);
  if (!result.ok) return { ready: false, problem: result.problem };
  const { from, replyTo, server } = result.setup;
  return {
    ready: true,
    from: from.name ? `${from.name} <${from.address}>` : from.address,
    replyTo,
    server: server === "business" ? "your own SMTP server" : "the platform's SMTP server",
  };
}

interface EditorOptions {
  template?: MessageTemplate;
  values?: Values;
  errors?: FieldErrors;
  status?: number;
  notice?: string;
}

/** The editor (new or existing): form, variables, live preview, send me a test. */
async function renderEditor(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: EditorOptions,
) {
  const template = options.template;
  const values = options.values ?? (template ? valuesOf(template) : { ...starterTemplate });
  const customers = await previewCustomers(deps, ctx);
  const chosen = Number(values.customer_id) || customers[0]?.id || 0;
  res.status(options.status ?? 200).render("messageTemplates/emailEdit", {
    title: template ? `E-mail template: ${template.name}` : "New e-mail template",
    csrfToken: csrfToken(req),
    template: template ? { id: template.id, name: template.name } : null,
    action: template ? `/email-templates/${template.id}` : "/email-templates",
    values,
    errors: options.errors ?? {},
    notice: options.notice,
    customers: customers.map((c) => ({ ...c, selected: c.id === chosen })),
    variables: Object.entries(variables).map(([name, spec]) => ({
      tag: `{{${name}}}`,
      description: spec.description,
    })),
    setup: await setupView(deps, ctx),
  });
}

export function showNew({ req, res, deps, ctx }: PageCall) {
  return renderEditor(req, res, deps, ctx, {});
}

export function showEditor({ req, res, deps, ctx, record }: PageCall<OneTemplate>) {
  return renderEditor(req, res, deps, ctx, { template: record });
}

const inputOf = (body: EmailTemplateInput): EmailTemplateInput => ({
  name: body.name,
  subject: body.subject,
  html_body: body.html_body,
});

/** POST /email-templates */
export async function create({ deps, ctx, body }: PageCall<{ body: typeof emailTemplateSchema }>) {
  const template = await createEmailTemplate(deps, ctx, inputOf(body));
  return redirect(`/email-templates/${template.id}`, `E-mail template ${template.name} saved.`);
}

/** POST /email-templates/:templateId */
export async function save({
  deps,
  record,
  body,
}: PageCall<OneTemplate & { body: typeof emailTemplateSchema }>) {
  const template = await updateEmailTemplate(deps, record, inputOf(body));
  return redirect(`/email-templates/${template.id}`, `E-mail template ${template.name} saved.`);
}

export function renderNewFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderEditor(req, res, deps, ctx, {
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

export function renderEditFailure(
  { req, res, deps, ctx, record }: PageFormCall<OneTemplate>,
  failure: FormFailure,
) {
  return renderEditor(req, res, deps, ctx, {
    template: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/**
 * POST /email-templates/:templateId/test: sends the form as it stands to the signed-in member and
 * shows the editor again with what was typed (nothing is saved by a test).
 */
export async function sendTest({
  req,
  res,
  deps,
  ctx,
  record,
  body,
}: PageCall<OneTemplate & { body: typeof testSchema }>) {
  const { to } = await sendTestEmail(deps, ctx, inputOf(body), body.customer_id ?? null);
  await renderEditor(req, res, deps, ctx, {
    template: record,
    values: { ...body },
    notice: `Test sent to ${to}. It may take a minute to arrive; its links record nothing.`,
  });
}

/**
 * POST /email-templates/preview: the filled message as its own small document, shown in a
 * sandboxed frame of the editor. It gets its own CSP: the message's inline styles and remote
 * images render as a mail client would show them, while no script can run.
 */
export async function preview({ res, deps, ctx, body }: PageCall<{ body: typeof previewSchema }>) {
  const result = await previewEmail(
    deps,
    ctx,
    { name: "", subject: body.subject, html_body: body.html_body },
    body.customer_id ?? null,
  );
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; font-src https: data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
  );
  res.setHeader("Cache-Control", "no-store");
  res.render("messageTemplates/emailPreview", {
    layout: false,
    title: "Preview",
    subject: result.composed.subject,
    customer: result.customer,
    problems: Object.values(result.problems),
    ...splitDocument(result.composed.html),
    text: result.composed.text,
  });
}

/** A whole HTML document's styles and body, or a fragment as it is. */
function splitDocument(html: string): { styles: string; body: string } {
  const styles = [...html.matchAll(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi)].map((m) => m[0]);
  const body = /<body\b[^>]*>([\s\S]*?)<\/body\s*>/i.exec(html);
  if (!body) return { styles: "", body: html };
  return { styles: styles.join("\n"), body: body[1] ?? "" };
}
