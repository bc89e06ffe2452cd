import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { MessageTemplate } from "../../models";
import { businessScope, tenantWhere, type Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

/**
 * Deleting a template (WhatsApp or e-mail; one table). A campaign that may still send with it —
 * a draft, scheduled, sending or paused one (paused resumes) — keeps it: the delete is refused,
 * naming those campaigns, and nothing changes. Finished and cancelled campaigns keep their
 * results; their template_id is a plain id that may point at nothing.
 *
 * A WhatsApp template is deleted here only: CONTRACTS.md documents no Graph API call for it, so
 * Meta's copy (if it was submitted) stays in WhatsApp Manager, where it can be deleted by hand.
 */
const unfinished = ["draft", "scheduled", "sending", "paused"] as const;

export interface TemplateUser {
  id: number;
  name: string;
  sendState: string;
}

/** Campaigns of the business that may still send with this template. */
export async function campaignsUsingTemplate(
  deps: Pick<Deps, "models">,
  ctx: Scoped,
  template: MessageTemplate,
): Promise<TemplateUser[]> {
  const model = deps.models.Campaign;
  const rows = await model.findAll({
    where: tenantWhere(
      ctx,
      model,
      { templateId: template.id, sendState: { [Op.in]: [...unfinished] } },
      { wholeBusiness: true },
    ),
    attributes: ["id", "name", "sendState"],
    order: [["id", "ASC"]],
    limit: 20,
  });
  return rows.map((c) => ({ id: c.id, name: c.name, sendState: c.sendState }));
}

/** The refusal, in words for the marketer, with the campaigns as details. */
export function templateInUse(users: TemplateUser[]): AppError {
  const names = users.map((c) => `${c.name} (${c.sendState})`).join(", ");
  return new AppError(
    "conflict",
    `This template is used by campaigns that may still send it: ${names}. Choose another template for them, or cancel them, then delete it.`,
    { campaigns: users.map((c) => c.id) },
  );
}

/**
 * Deletes the template unless an unfinished campaign uses it. The template's row is locked first
 * (an UPDATE that changes nothing) so a concurrent start of a campaign with it, which reads it,
 * waits on MariaDB for the check and the delete to finish.
 */
export async function deleteMessageTemplate(
  deps: Pick<Deps, "models" | "sequelize">,
  ctx: Scoped,
  template: MessageTemplate,
): Promise<void> {
  // The whole business: a member who sees only their own campaigns must not miss another's.
  const scope = businessScope("business" in ctx ? ctx.business.id : ctx.businessId);
  await deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, scope, transaction);
    await sql.changed`
      UPDATE message_templates SET updated_at = updated_at
      WHERE ${sql.scoped("message_templates")} AND id = ${template.id}`;
    const [user] = await sql.select<{ id: number }>`
      SELECT c.id FROM campaigns c WHERE ${sql.scoped("c")} AND c.template_id = ${template.id}
        AND c.send_state IN ${[...unfinished]} LIMIT 1`;
    if (user) throw templateInUse(await campaignsUsingTemplate(deps, ctx, template));
    await sql.changed`
      DELETE FROM message_templates
      WHERE ${sql.scoped("message_templates")} AND id = ${template.id}`;
  });
}
