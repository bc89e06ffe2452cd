import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Lead, Task } from "../../models";
import type { LeadNote } from "../../models/LeadWork";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";

export const maxLeadNoteLength = 10_000;

function checkBody(body: string): string {
  const text = body.trim();
  if (!text) throw AppError.validation({ body: "Write something in the note." });
  if (text.length > maxLeadNoteLength)
    throw AppError.validation({ body: `Keep a note under ${maxLeadNoteLength} characters.` });
  return text;
}

/** Like customer notes: authors change their own; owners and admins may tidy anyone's. */
export function mayChangeLeadNote(ctx: TenantContext, note: LeadNote): boolean {
  if (ctx.system) return false;
  const moderator = ctx.membership.role === "owner" || ctx.membership.role === "admin";
  return note.authorId === ctx.user.id || moderator;
}

function assertMayChange(ctx: TenantContext, note: LeadNote): void {
  authorize(ctx, "leads.manage");
  if (!mayChangeLeadNote(ctx, note))
    throw AppError.forbidden("Only the author can change this note.");
}

/** A note on a lead the member can see (the lead was loaded through the scope). */
export async function addLeadNote(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  lead: Pick<Lead, "id">,
  body: string,
): Promise<LeadNote> {
  authorize(ctx, "leads.manage");
  const now = deps.clock.now();
  return deps.models.LeadNote.create({
    businessId: ctx.business.id,
    leadId: lead.id,
    authorId: ctx.system ? null : ctx.user.id,
    body: checkBody(body),
    createdAt: now,
    updatedAt: now,
  });
}

export async function editLeadNote(
  deps: Pick<Deps, "clock">,
  ctx: TenantContext,
  note: LeadNote,
  body: string,
): Promise<LeadNote> {
  assertMayChange(ctx, note);
  return note.update({ body: checkBody(body), updatedAt: deps.clock.now() });
}

export async function deleteLeadNote(ctx: TenantContext, note: LeadNote): Promise<void> {
  assertMayChange(ctx, note);
  await note.destroy();
}

/** A note of this lead (404 for another lead's or another business's). */
export async function loadLeadNote(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  lead: Pick<Lead, "id">,
  id: unknown,
): Promise<LeadNote> {
  const note = await findInBusiness(ctx, deps.models.LeadNote, id, {
    include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
  });
  if (note.leadId !== lead.id) throw AppError.notFound();
  return note;
}

/** The lead's notes, newest first (the page shows them on its timeline). */
export function leadNotes(deps: Pick<Deps, "models">, ctx: TenantContext, lead: Pick<Lead, "id">) {
  authorize(ctx, "leads.view");
  return deps.models.LeadNote.findAll({
    where: tenantWhere(ctx, deps.models.LeadNote, { leadId: lead.id }),
    include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
    limit: 200,
  });
}

/** One page of the lead's notes, newest first, keyset-paged on id (the API's cursor). */
export function leadNotePage(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  lead: Pick<Lead, "id">,
  page: { limit: number; beforeId?: number },
): Promise<LeadNote[]> {
  authorize(ctx, "leads.view");
  return deps.models.LeadNote.findAll({
    where: tenantWhere(ctx, deps.models.LeadNote, {
      leadId: lead.id,
      ...(page.beforeId !== undefined ? { id: { [Op.lt]: page.beforeId } } : {}),
    }),
    include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
    limit: page.limit + 1,
  });
}

/**
 * The lead's tasks, open ones first then newest. Read for the whole business: whoever sees the
 * lead sees the follow-ups planned on it (a sales member's lead may hold a manager's task).
 */
export function leadTasks(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  lead: Pick<Lead, "id">,
): Promise<Task[]> {
  authorize(ctx, "leads.view");
  return deps.models.Task.findAll({
    where: tenantWhere(ctx, deps.models.Task, { leadId: lead.id }, { wholeBusiness: true }),
    include: [{ model: deps.models.User, as: "assignee", attributes: ["id", "name"] }],
    order: [
      ["dueAt", "ASC"],
      ["id", "DESC"],
    ],
    limit: 200,
  });
}
