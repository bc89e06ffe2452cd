import type { Request, Response } from "express";
import { findChannel } from "../../commands/channels/channels";
import { submitTemplate, syncTemplateStatus } from "../../commands/messageTemplates/approval";
import {
  createWhatsAppTemplate,
  findTemplate,
  listTemplates,
  updateWhatsAppTemplate,
} from "../../commands/messageTemplates/templates";
import type { Deps } from "../../deps";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { MessageTemplate } from "../../models";
import { can } from "../../policies/permissions";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import {
  formRows,
  formValuesFromInput,
  formValuesOf,
  presentDetail,
  presentMapping,
  presentPreview,
  presentRow,
  statusOf,
} from "./present";
import type { listQuery, showQuery, templateParams, whatsAppTemplateSchema } from "./schema";

/** /campaigns/templates: WhatsApp templates (and the list of e-mail ones, whose pages are /email-templates). */
const base = "/campaigns/templates";
type One = { params: typeof templateParams; record: MessageTemplate };

export async function loadTemplate({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { whatsappTemplateId: number }>): Promise<MessageTemplate> {
  return findTemplate(deps, ctx, params.whatsappTemplateId, "whatsapp");
}

async function whatsAppState(deps: Deps, ctx: TenantContext) {
  const channel = await findChannel(deps, ctx, "whatsapp");
  return {
    connected: channel?.status === "connected",
    canConfigure: can(ctx.membership.role, "business.update"),
  };
}

/** GET /campaigns/templates?channel= */
export async function showList({ res, deps, ctx, query }: PageCall<{ query: typeof listQuery }>) {
  const templates = await listTemplates(deps, ctx, { channel: query.channel });
  res.render("messageTemplates/list", {
    title: "Message templates",
    templates: templates.map(presentRow),
    filter: query.channel ?? "",
    filters: [
      { value: "", label: "All" },
      { value: "whatsapp", label: "WhatsApp" },
      { value: "email", label: "E-mail" },
    ].map((f) => ({
      ...f,
      href: f.value ? `${base}?channel=${f.value}` : base,
      active: f.value === (query.channel ?? ""),
    })),
    whatsapp: await whatsAppState(deps, ctx),
  });
}

interface FormState {
  template?: MessageTemplate;
  values: Record<string, string>;
  errors?: Record<string, string>;
  status?: number;
}

async function renderForm(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  state: FormState,
) {
  const { template } = state;
  const errors = state.errors ?? {};
  res.status(state.status ?? 200).render("messageTemplates/form", {
    title: template ? `Edit ${template.name}` : "New WhatsApp template",
    heading: template ? `Edit ${template.name}` : "New WhatsApp template",
    action: template ? `${base}/${template.id}` : base,
    cancelUrl: template ? `${base}/${template.id}` : base,
    csrfToken: csrfToken(req),
    values: state.values,
    errors,
    rows: formRows(state.values, errors),
    whatsapp: await whatsAppState(deps, ctx),
  });
}

/** GET /campaigns/templates/new */
export async function showNew({ req, res, deps, ctx }: PageCall) {
  await renderForm(req, res, deps, ctx, {
    values: {
      language: "en",
      category: "MARKETING",
      body: "Hello {{1}}, ",
      p1_source: "customer.first_name",
      p1_value: "there",
    },
  });
}

/** GET /campaigns/templates/:whatsappTemplateId/edit */
export async function showEdit({ req, res, deps, ctx, record }: PageCall<One>) {
  await renderForm(req, res, deps, ctx, { template: record, values: formValuesOf(record) });
}

/** A save that failed comes back as typed, every field's reason beside it. */
export async function renderFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: MessageTemplate | undefined }>,
  failure: FormFailure,
) {
  await renderForm(req, res, deps, ctx, {
    template: record,
    values: formValuesFromInput(failure.values),
    errors: failure.errors,
    status: failure.status,
  });
}

type Body = { body: typeof whatsAppTemplateSchema };

/** POST /campaigns/templates */
export async function create({ deps, ctx, body }: PageCall<Body>) {
  const template = await createWhatsAppTemplate(deps, ctx, body);
  return redirect(
    `${base}/${template.id}`,
    "Draft saved. Check the preview, then submit it for Meta's approval.",
  );
}

/** POST /campaigns/templates/:whatsappTemplateId */
export async function update({ deps, ctx, body, record }: PageCall<One & Body>) {
  await updateWhatsAppTemplate(deps, ctx, record, body);
  return redirect(`${base}/${record.id}`, "Template saved as a draft.");
}

/** GET /campaigns/templates/:whatsappTemplateId?customerId= : the template, its status and a preview. */
export async function showTemplate({
  res,
  deps,
  ctx,
  record,
  query,
}: PageCall<One & { query: typeof showQuery }>) {
  const Customer = deps.models.Customer;
  const customers = await Customer.findAll({
    where: tenantWhere(ctx, Customer),
    attributes: ["id", "name", "email", "phoneE164"],
    order: [["id", "DESC"]],
    limit: 50,
  });
  let chosen = customers.find((c) => c.id === query.customerId) ?? null;
  if (!chosen && query.customerId)
    chosen = await findInBusiness(ctx, Customer, query.customerId, {
      attributes: ["id", "name", "email", "phoneE164"],
    });
  chosen ??= customers[0] ?? null;
  res.render("messageTemplates/show", {
    title: record.name,
    template: presentDetail(record, ctx.business.timeZone),
    mapping: presentMapping(record),
    preview: presentPreview(record, chosen, ctx.business.name),
    previewCustomer: chosen ? { id: chosen.id, name: chosen.name } : null,
    customers: customers.map((c) => ({ id: c.id, name: c.name, selected: c.id === chosen?.id })),
    chosenOutsideList: chosen && !customers.some((c) => c.id === chosen.id) ? chosen : null,
    whatsapp: await whatsAppState(deps, ctx),
  });
}

/** POST /campaigns/templates/:whatsappTemplateId/submit */
export async function submit({ deps, ctx, record }: PageCall<One>) {
  const template = await submitTemplate(deps, ctx, record, ctx.business.name);
  return redirect(`${base}/${record.id}`, {
    type: "success",
    message: `Submitted to Meta: ${statusOf(template.status).label.toLowerCase()}. Meta usually decides within minutes to a day; "Sync status" asks again.`,
  });
}

/** POST /campaigns/templates/:whatsappTemplateId/sync */
export async function sync({ deps, ctx, record }: PageCall<One>) {
  const template = await syncTemplateStatus(deps, ctx, record);
  const label = statusOf(template.status).label;
  return redirect(`${base}/${record.id}`, {
    type: template.status === "rejected" ? "warning" : "success",
    message:
      template.status === "rejected"
        ? `Meta rejected it: ${template.rejectionReason ?? "no reason given"}. Edit it and submit again.`
        : `Status from Meta: ${label}.`,
  });
}
