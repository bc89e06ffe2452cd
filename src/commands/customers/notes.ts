import { AppError } from "../../errors";
import type { Customer, Note } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { recordEvents } from "./timeline";

export const maxNoteLength = 10_000;

function checkBody(body: string): string {
  const text = body.trim();
  if (!text) throw AppError.validation({ body: "Write something in the note." });
  if (text.length > maxNoteLength)
    throw AppError.validation({ body: `Keep a note under ${maxNoteLength} characters.` });
  return text;
}

/** Authors edit and delete their own notes; owners and admins may tidy anyone's. */
function assertMayChange(ctx: TenantContext, note: Note): void {
  authorize(ctx, "customers.manage");
  const moderator = ctx.membership.role === "owner" || ctx.membership.role === "admin";
  if (note.authorId !== ctx.user.id && !moderator)
    throw AppError.forbidden("Only the author can change this note.");
}

export function mayChangeNote(ctx: TenantContext, note: Note): boolean {
  try {
    assertMayChange(ctx, note);
    return true;
  } catch {
    return false;
  }
}

export async function addNote(
  deps: Deps,
  ctx: TenantContext,
  customer: Customer,
  body: string,
): Promise<Note> {
  authorize(ctx, "customers.manage");
  const text = checkBody(body);
  return deps.sequelize.transaction(async (transaction) => {
    const note = await deps.models.Note.create(
      { businessId: ctx.business.id, customerId: customer.id, authorId: ctx.user.id, body: text },
      { transaction },
    );
    await recordEvents(
      deps,
      ctx,
      [{ customerId: customer.id, kind: "note_added", details: { noteId: note.id } }],
      transaction,
    );
    return note;
  });
}

export async function editNote(deps: Deps, ctx: TenantContext, note: Note, body: string) {
  assertMayChange(ctx, note);
  return note.update({ body: checkBody(body) });
}

export async function deleteNote(deps: Deps, ctx: TenantContext, note: Note): Promise<void> {
  assertMayChange(ctx, note);
  await note.destroy();
}

export async function notesOf(deps: Deps, ctx: TenantContext, customer: Customer) {
  return deps.models.Note.findAll({
    where: tenantWhere(ctx, deps.models.Note, { customerId: customer.id }),
    include: [{ model: deps.models.User, as: "author", attributes: ["id", "name"] }],
    order: [
      ["createdAt", "DESC"],
      ["id", "DESC"],
    ],
    limit: 200,
  });
}
