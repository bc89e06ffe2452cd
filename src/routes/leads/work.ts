import type { Request, Response } from "express";
import { convertLead } from "../../commands/leads/convert";
import { loadLead as findLead } from "../../commands/leads/list";
import {
  addLeadNote,
  deleteLeadNote,
  editLeadNote,
  loadLeadNote,
  mayChangeLeadNote,
} from "../../commands/leads/notes";
import { createTask } from "../../commands/tasks/create";
import { amountInput, parseAmount } from "../../commands/deals/money";
import { defaultCurrency } from "../../commands/deals/input";
import { listPipelines } from "../../commands/deals/pipelines";
import { AppError, isAppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { parseLocalDateTime } from "../../lib/dates";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Lead } from "../../models";
import type { LeadNote } from "../../models/LeadWork";
import { fullName } from "../../presenters/leadsViews";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { leadParams } from "./schema";
import type { convertSchema, leadNoteParams, leadNoteSchema, leadTaskSchema } from "./workSchema";

type Deps = PageCall["deps"];
type OneLead = { params: typeof leadParams; record: Lead };
type OneNote = { params: typeof leadNoteParams; record: { lead: Lead; note: LeadNote } };

/** The note a path names, on the lead it names (404 otherwise, or for a lead out of scope). */
export async function loadNote({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { leadId: number; noteId: number }>) {
  const lead = await findLead(deps, ctx, params.leadId);
  return { lead, note: await loadLeadNote(deps, ctx, lead, params.noteId) };
}

/** Note and task forms sit on the lead page: a refusal comes back there as a flash. */
export function backToLead({ params }: PageFormCall<{ params: typeof leadParams }>) {
  return `/leads/${params.leadId}`;
}

export function firstProblem(failure: FormFailure): string {
  return Object.values(failure.errors)[0] ?? failure.error.message;
}

/** POST /leads/:leadId/notes */
export async function addNote({
  deps,
  ctx,
  body,
  record: lead,
}: PageCall<OneLead & { body: typeof leadNoteSchema }>) {
  await addLeadNote(deps, ctx, lead, body.body);
  return redirect(`/leads/${lead.id}`, "Note added.");
}

/** POST /leads/:leadId/notes/:noteId (authors edit their own) */
export async function editNote({
  deps,
  ctx,
  body,
  record: { lead, note },
}: PageCall<OneNote & { body: typeof leadNoteSchema }>) {
  await editLeadNote(deps, ctx, note, body.body);
  return redirect(`/leads/${lead.id}`, "Note saved.");
}

/** GET /leads/:leadId/notes/:noteId/delete: the confirmation. */
export function confirmDeleteNote({ req, res, ctx, record: { lead, note } }: PageCall<OneNote>) {
  if (!mayChangeLeadNote(ctx, note))
    throw AppError.forbidden("Only the author can change this note.");
  res.render("leads/confirm-delete-note", {
    title: "Delete this note?",
    csrfToken: csrfToken(req),
    lead: { id: lead.id, name: fullName(lead) },
    note: { id: note.id, body: note.body },
  });
}

/** POST /leads/:leadId/notes/:noteId/delete */
export async function removeNote({ ctx, record: { lead, note } }: PageCall<OneNote>) {
  await deleteLeadNote(ctx, note);
  return redirect(`/leads/${lead.id}`, "Note deleted.");
}

/**
 * POST /leads/:leadId/tasks: a follow-up on this lead for its owner (or whoever adds it, for an
 * unowned lead or one whose owner may not be given tasks); it is an ordinary task in /tasks.
 */
export async function addTask({
  deps,
  ctx,
  body,
  record: lead,
}: PageCall<OneLead & { body: typeof leadTaskSchema }>) {
  let dueAt: Date | null = null;
  if (body.dueAt) {
    const typed = body.dueAt.length === 10 ? `${body.dueAt}T10:00` : body.dueAt;
    dueAt = parseLocalDateTime(typed, ctx.business.timeZone);
    if (!dueAt)
      throw AppError.validation({ dueAt: "Enter the due date and time, or leave it empty." });
  }
  const task = { title: body.title, dueAt, leadId: lead.id };
  await createTask(deps, ctx, { ...task, assigneeId: lead.ownerId ?? ctx.user.id }).catch(
    (error: unknown) => {
      if (!isAppError(error) || error.id !== "validation_failed" || !error.details) throw error;
      return createTask(deps, ctx, { ...task, assigneeId: ctx.user.id });
    },
  );
  return redirect(`/leads/${lead.id}`, "Task added; it is in Tasks too.");
}

async function renderConvert(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  lead: Lead,
  options: { values: Record<string, unknown>; errors?: FieldErrors; status?: number },
) {
  const pipelines = await listPipelines(deps, ctx);
  const chosen = String(options.values.stageId ?? "");
  const match = await deps.models.Customer.findOne({
    where: tenantWhere(
      ctx,
      deps.models.Customer,
      lead.phoneE164 ? { phoneE164: lead.phoneE164 } : { email: lead.email ?? "" },
      { wholeBusiness: true },
    ),
    attributes: ["id", "name"],
  });
  res.status(options.status ?? 200).render("leads/convert", {
    title: `Convert ${fullName(lead)}`,
    csrfToken: csrfToken(req),
    lead: { id: lead.id, name: fullName(lead), phone: lead.phoneE164, email: lead.email },
    match: match ? { name: match.name } : null,
    values: options.values,
    errors: options.errors ?? {},
    stageGroups: pipelines.map((pipeline) => ({
      name: pipeline.name,
      stages: (pipeline.stages ?? []).map((stage) => ({
        value: String(stage.id),
        label: stage.name,
        selected: String(stage.id) === chosen,
      })),
    })),
  });
}

/** GET /leads/:leadId/convert: the deal's details, and which customer it will be. */
export async function showConvert({ req, res, deps, ctx, record: lead }: PageCall<OneLead>) {
  if (lead.dealId)
    return redirect(
      `/leads/${lead.id}`,
      "This lead was already converted; its customer and deal are linked here.",
    );
  await renderConvert(req, res, deps, ctx, lead, {
    values: {
      title: lead.company ? `${lead.company} — ${fullName(lead)}` : fullName(lead),
      amount: amountInput(0, defaultCurrency(ctx)),
      currency: defaultCurrency(ctx),
    },
  });
}

export function renderConvertFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Lead }>,
  failure: FormFailure,
) {
  return renderConvert(req, res, deps, ctx, record, {
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /leads/:leadId/convert */
export async function convert({
  deps,
  ctx,
  body,
  record: lead,
}: PageCall<OneLead & { body: typeof convertSchema }>) {
  const currency = body.currency ?? defaultCurrency(ctx);
  const amountMinor = body.amount ? parseAmount(body.amount, currency) : 0;
  if (amountMinor === null)
    throw AppError.validation({ amount: "Enter an amount such as 150000 or 1,50,000.50." });
  let pipelineId: number | undefined;
  if (body.stageId !== undefined) {
    const stage = await deps.models.PipelineStage.findOne({
      where: tenantWhere(ctx, deps.models.PipelineStage, { id: body.stageId }),
    });
    if (!stage) throw AppError.validation({ stageId: "Choose a pipeline stage for the deal." });
    pipelineId = stage.pipelineId;
  }
  const { deal, matched } = await convertLead(deps, ctx, lead, {
    title: body.title,
    amountMinor,
    currency,
    pipelineId,
    stageId: body.stageId,
  });
  return redirect(
    `/deals/${deal.id}`,
    `${fullName(lead)} converted: ${matched ? "linked to the existing customer" : "new customer created"} and this deal opened.`,
  );
}
