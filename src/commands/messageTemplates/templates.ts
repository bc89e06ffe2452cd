import { Op, UniqueConstraintError } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { ChannelKind, MessageTemplate } from "../../models";
import { findInBusiness, tenantWhere, type Scoped } from "../../tenancy/scope";
import { validateWhatsAppTemplate, type WhatsAppTemplateInput } from "./validation";

/**
 * WhatsApp templates of a business: drafts are written here, then submitted to Meta (approval.ts).
 * Only a draft or a rejected template can be edited — Meta keeps what it approved or is reviewing,
 * so changing our copy would send something other than what was approved.
 */
type TemplateDeps = Pick<Deps, "models">;

export async function listTemplates(
  deps: TemplateDeps,
  ctx: Scoped,
  filter: { channel?: ChannelKind } = {},
): Promise<MessageTemplate[]> {
  const model = deps.models.MessageTemplate;
  return model.findAll({
    where: tenantWhere(ctx, model, filter.channel ? { channel: filter.channel } : {}),
    order: [
      ["name", "ASC"],
      ["language", "ASC"],
    ],
    limit: 500,
  });
}

export async function findTemplate(
  deps: TemplateDeps,
  ctx: Scoped,
  id: number,
  channel?: ChannelKind,
): Promise<MessageTemplate> {
  const template = await findInBusiness(ctx, deps.models.MessageTemplate, id);
  if (channel && template.channel !== channel) throw AppError.notFound();
  return template;
}

function columnsOf(input: WhatsAppTemplateInput) {
  const valid = validateWhatsAppTemplate(input);
  return {
    name: valid.name,
    language: valid.language,
    category: valid.category,
    headerText: valid.headerText,
    body: valid.body,
    footerText: valid.footerText,
    buttons: valid.buttons.length ? JSON.stringify(valid.buttons) : null,
    placeholderMap: JSON.stringify(valid.placeholderMap),
  };
}

async function saving<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintError)
      throw AppError.validation({
        name: "You already have a WhatsApp template with this name and language.",
      });
    throw error;
  }
}

export async function createWhatsAppTemplate(
  deps: TemplateDeps,
  ctx: Scoped,
  input: WhatsAppTemplateInput,
): Promise<MessageTemplate> {
  const columns = columnsOf(input);
  const businessId = "business" in ctx ? ctx.business.id : ctx.businessId;
  return saving(() =>
    deps.models.MessageTemplate.create({
      businessId,
      channel: "whatsapp",
      status: "draft",
      ...columns,
    }),
  );
}

/** Whether the template may still be changed (drafts and rejected ones). */
export function isEditable(template: MessageTemplate): boolean {
  return template.status === "draft" || template.status === "rejected";
}

export async function updateWhatsAppTemplate(
  deps: TemplateDeps,
  _ctx: Scoped,
  template: MessageTemplate,
  input: WhatsAppTemplateInput,
): Promise<MessageTemplate> {
  if (template.channel !== "whatsapp") throw AppError.notFound();
  if (!isEditable(template))
    throw new AppError(
      "conflict",
      "Meta has this template (pending or approved): it cannot change. Create a new template instead.",
    );
  const columns = columnsOf(input);
  // A rejected template edited is a new draft: it goes back to Meta as a new submission.
  return saving(() =>
    template.update({
      ...columns,
      status: "draft",
      rejectionReason: null,
      providerTemplateId: null,
      submittedAt: null,
    }),
  );
}

/**
 * One page of a channel's templates in id order for the API: `limit + 1` rows after `afterId`
 * (the extra row only says there is a next page; http/pagination.ts pageOf).
 */
export async function pageTemplates(
  deps: TemplateDeps,
  ctx: Scoped,
  channel: ChannelKind,
  page: { limit: number; afterId?: number },
): Promise<MessageTemplate[]> {
  const model = deps.models.MessageTemplate;
  const after = page.afterId === undefined ? {} : { id: { [Op.gt]: page.afterId } };
  return model.findAll({
    where: tenantWhere(ctx, model, { channel, ...after }),
    order: [["id", "ASC"]],
    limit: page.limit + 1,
  });
}
