import { Op } from "sequelize";
import { convertLead } from "../../commands/leads/convert";
import { loadLead } from "../../commands/leads/list";
import { addLeadNote, leadNotePage } from "../../commands/leads/notes";
import { defaultSequence, newRunKey, runNurture } from "../../commands/leads/nurture";
import { businessLeadStages, checkStageChoice } from "../../commands/leads/stages";
import { updateLead } from "../../commands/leads/writes";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf } from "../../http/pagination";
import type { Lead, LeadEvent } from "../../models";
import type { LeadNote } from "../../models/LeadWork";
import { presentLead } from "../../presenters/leads";
import { authorize } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { leadParams } from "./schema";
import type {
  apiConvertSchema,
  apiEventListSchema,
  apiNoteBodySchema,
  apiNoteListSchema,
  apiNurtureSchema,
  apiStageMoveSchema,
} from "./workApiSchema";

type OneLead = { params: typeof leadParams; record: Lead };

const iso = (date: Date) => date.toISOString();
const personOf = (user: { id: number; name: string } | null | undefined) =>
  user ? { id: user.id, name: user.name } : null;

function presentNote(note: LeadNote) {
  return {
    id: note.id,
    leadId: note.leadId,
    body: note.body,
    author: personOf(note.author),
    createdAt: iso(note.createdAt),
    updatedAt: iso(note.updatedAt),
  };
}

function presentEvent(event: LeadEvent) {
  let details: Record<string, unknown> | null;
  try {
    details = event.details ? (JSON.parse(event.details) as Record<string, unknown>) : null;
  } catch {
    // An unreadable entry is answered without its details rather than failing the page.
    details = null;
  }
  return {
    id: event.id,
    leadId: event.leadId,
    kind: event.kind,
    details,
    actor: personOf(event.actor),
    createdAt: iso(event.createdAt),
  };
}

/** GET /api/v1/leads/:leadId/notes: newest first, by cursor. */
export async function listNotesApi({
  deps,
  ctx,
  query,
  record: lead,
}: ApiCall<OneLead & { query: typeof apiNoteListSchema }>) {
  const beforeId = query.cursor ? decodeCursor(idPosition, query.cursor).id : undefined;
  const rows = await leadNotePage(deps, ctx, lead, { limit: query.limit, beforeId });
  const { rows: items, nextCursor } = pageOf(rows, query.limit, (last) => ({ id: last.id }));
  return page(items.map(presentNote), nextCursor, `${items.length} note(s).`);
}

/** POST /api/v1/leads/:leadId/notes */
export async function addNoteApi({
  deps,
  ctx,
  body,
  record: lead,
}: ApiCall<OneLead & { body: typeof apiNoteBodySchema }>) {
  const note = await addLeadNote(deps, ctx, lead, body.body);
  if (!ctx.system) note.author = { id: ctx.user.id, name: ctx.user.name } as LeadNote["author"];
  return reply(presentNote(note), "Note added.", { status: 201 });
}

/** GET /api/v1/leads/:leadId/events: the lead's timeline entries, newest first, by cursor. */
export async function listEventsApi({
  deps,
  ctx,
  query,
  record: lead,
}: ApiCall<OneLead & { query: typeof apiEventListSchema }>) {
  authorize(ctx, "leads.view");
  const beforeId = query.cursor ? decodeCursor(idPosition, query.cursor).id : undefined;
  const { LeadEvent, User } = deps.models;
  const rows = await LeadEvent.findAll({
    where: tenantWhere(ctx, LeadEvent, {
      leadId: lead.id,
      ...(beforeId !== undefined ? { id: { [Op.lt]: beforeId } } : {}),
    }),
    include: [{ model: User, as: "actor", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
    limit: query.limit + 1,
  });
  const { rows: items, nextCursor } = pageOf(rows, query.limit, (last) => ({ id: last.id }));
  return page(items.map(presentEvent), nextCursor, `${items.length} event(s).`);
}

/** POST /api/v1/leads/:leadId/stage: a move (Converted is reached by converting). */
export async function moveStageApi({
  deps,
  ctx,
  body,
  record: lead,
}: ApiCall<OneLead & { body: typeof apiStageMoveSchema }>) {
  checkStageChoice(await businessLeadStages(deps, ctx.business.id), body.stage, lead);
  await updateLead(deps, ctx, lead, {
    stage: body.stage as Lead["stage"],
    ...(body.statusReason !== undefined ? { statusReason: body.statusReason || null } : {}),
  });
  const moved = await loadLead(deps, ctx, lead.id);
  return reply(presentLead(moved), "Lead moved.");
}

/**
 * POST /api/v1/leads/nurture: follow-up tasks for the leads' owners (the default sequence when no
 * steps are given). Answers the run key: sending the same key again creates nothing more.
 */
export async function nurtureApi({ deps, ctx, body }: ApiCall<{ body: typeof apiNurtureSchema }>) {
  authorize(ctx, "tasks.manage");
  const runKey = body.runKey ?? newRunKey();
  const result = await runNurture(deps, ctx, runKey, body.leadIds, body.steps ?? defaultSequence);
  return reply({ runKey, ...result }, `${result.created} follow-up task(s) created.`, {
    status: result.created > 0 ? 201 : 200,
  });
}

/** POST /api/v1/leads/:leadId/convert: customer (matched or new) + deal, in one transaction. */
export async function convertApi({
  deps,
  ctx,
  body,
  record: lead,
}: ApiCall<OneLead & { body: typeof apiConvertSchema }>) {
  const result = await convertLead(deps, ctx, lead, body);
  return reply(
    {
      leadId: lead.id,
      customerId: result.customer.id,
      dealId: result.deal.id,
      matched: result.matched,
    },
    "Lead converted.",
    { status: 201, location: `/api/v1/deals/${result.deal.id}` },
  );
}
