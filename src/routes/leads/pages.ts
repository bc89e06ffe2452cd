import type { Request, Response } from "express";
import { leadScoreSection } from "../leadSettings/scoreSection";
import type { LeadChanges } from "../../commands/leads/input";
import { leadOwners, leadTimeline, loadLead as findLead } from "../../commands/leads/list";
import { leadNotes, leadTasks, mayChangeLeadNote } from "../../commands/leads/notes";
import {
  businessLeadStages,
  checkStageChoice,
  contextLeadStages,
  stageName,
} from "../../commands/leads/stages";
import { createLead, deleteLead, updateLead } from "../../commands/leads/writes";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Lead } from "../../models";
import { mayAssignOwners } from "../../policies/customers";
import { can } from "../../policies/permissions";
import {
  fullName,
  leadFormValues,
  leadFormView,
  presentLeadRow,
} from "../../presenters/leadsViews";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { leadTimelineItems, withStages } from "./leadView";
import type { leadFormSchema, leadParams, stageFormSchema } from "./schema";

type Values = Record<string, unknown>;
type OneLead = { params: typeof leadParams; record: Lead };
type Deps = PageCall["deps"];
type LeadForm = ReturnType<typeof leadFormSchema>;

/** The lead a path names, with its owner (404 in another business, or a colleague's for sales). */
export function loadLead({ deps, ctx, params }: LoadCall<TenantContext, { leadId: number }>) {
  return findLead(deps, ctx, params.leadId);
}

async function renderForm(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: { lead?: Lead; values: Values; errors?: FieldErrors; status?: number },
) {
  const { lead, values } = options;
  const heading = lead ? `Edit ${fullName(lead)}` : "New lead";
  const stages = await businessLeadStages(deps, ctx.business.id);
  const current = String(values.stage || "new");
  // Converted is reached by converting; a converted lead keeps it (the select shows it alone).
  const choosable = stages.filter((s) =>
    lead?.dealId ? s.code === lead.stage : s.kind !== "converted" || s.code === current,
  );
  res.status(options.status ?? 200).render("leads/form", {
    title: heading,
    heading,
    action: lead ? `/leads/${lead.id}` : "/leads",
    lead: lead ? { id: lead.id } : null,
    csrfToken: csrfToken(req),
    values,
    errors: options.errors ?? {},
    cancelUrl: lead ? `/leads/${lead.id}` : "/leads",
    ...leadFormView(values, await leadOwners(deps, ctx), mayAssignOwners(ctx)),
    stageOptions: choosable.map((s) => ({
      value: s.code,
      label: s.name,
      selected: s.code === current,
    })),
  });
}

/** A stage the form or the board sends must be one of the business's (and not Converted). */
async function checkStage(
  deps: Deps,
  ctx: TenantContext,
  code: string | undefined,
  lead?: Lead,
): Promise<void> {
  if (code === undefined) return;
  checkStageChoice(await businessLeadStages(deps, ctx.business.id), code, lead);
}

/** A form that did not save comes back as typed, with every field's error beside it. */
export function renderLeadFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Lead | undefined }>,
  failure: FormFailure,
) {
  return renderForm(req, res, deps, ctx, {
    lead: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** GET /leads/new */
export async function showNew({ req, res, deps, ctx }: PageCall) {
  await renderForm(req, res, deps, ctx, {
    values: { stage: "new", score: "0", ownerId: ctx.user.id },
  });
}

/**
 * The form sends every field: what it leaves out is cleared (unticked boxes are false). Members
 * who may not assign owners have no owner select, so the owner stays as it is.
 */
function fromForm(ctx: TenantContext, body: LeadChanges, lead?: Lead): LeadChanges {
  const changes: LeadChanges = {
    bantBudget: false,
    bantAuthority: false,
    bantNeed: false,
    bantTimeline: false,
    consentEmail: false,
    consentWhatsapp: false,
    interestedProducts: [],
    ...body,
  };
  if (!mayAssignOwners(ctx)) delete changes.ownerId;
  // The form shows the day only: the same day keeps the stored time of the last contact.
  const stored = lead?.lastContactedAt;
  if (stored && changes.lastContactedAt && sameDay(stored, changes.lastContactedAt))
    delete changes.lastContactedAt;
  return changes;
}

const sameDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

/** POST /leads */
export async function create({ deps, ctx, body }: PageCall<{ body: LeadForm }>) {
  await checkStage(deps, ctx, body.stage);
  const lead = await createLead(deps, ctx, fromForm(ctx, body));
  return redirect(`/leads/${lead.id}`, `Lead ${fullName(lead)} created.`);
}

/** GET /leads/:leadId/edit */
export async function showEdit({ req, res, deps, ctx, record: lead }: PageCall<OneLead>) {
  await renderForm(req, res, deps, ctx, { lead, values: leadFormValues(lead) });
}

/** POST /leads/:leadId: the edit form. */
export async function update({
  deps,
  ctx,
  body,
  record: lead,
}: PageCall<OneLead & { body: LeadForm }>) {
  const nulls: LeadChanges = {
    lastName: null,
    company: null,
    jobTitle: null,
    email: null,
    phoneE164: null,
    location: null,
    industry: null,
    source: null,
    campaignName: null,
    statusReason: null,
    lastContactedAt: null,
    nextAction: null,
    nextActionOn: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    referrer: null,
    landingPage: null,
  };
  await checkStage(deps, ctx, body.stage, lead);
  await updateLead(deps, ctx, lead, fromForm(ctx, { ...nulls, ...body }, lead));
  return redirect(`/leads/${lead.id}`, `Lead ${fullName(lead)} saved.`);
}

/** GET /leads/:leadId: details, next action, conversion, notes, tasks and one timeline. */
export async function showLead({ req, res, deps, ctx, record: lead }: PageCall<OneLead>) {
  const zone = ctx.business.timeZone;
  const [events, owners, notes, tasks, stages] = await Promise.all([
    leadTimeline(deps, ctx, lead),
    leadOwners(deps, ctx),
    leadNotes(deps, ctx, lead),
    leadTasks(deps, ctx, lead),
    contextLeadStages(deps, ctx),
  ]);
  const names = new Map(owners.map((o) => [o.id, o.name]));
  const [customer, deal] = await Promise.all([
    lead.customerId
      ? deps.models.Customer.findOne({
          where: tenantWhere(
            ctx,
            deps.models.Customer,
            { id: lead.customerId },
            { wholeBusiness: true },
          ),
          attributes: ["id", "name"],
        })
      : null,
    lead.dealId
      ? deps.models.Deal.findOne({
          where: tenantWhere(ctx, deps.models.Deal, { id: lead.dealId }, { wholeBusiness: true }),
          attributes: ["id", "title"],
        })
      : null,
  ]);
  const role = ctx.membership.role;
  const canManage = can(role, "leads.manage");
  res.render("leads/show", {
    title: fullName(lead),
    csrfToken: csrfToken(req),
    leadScore: await leadScoreSection(deps, ctx, lead),
    lead: withStages(presentLeadRow(lead, zone), lead, stages),
    timeline: leadTimelineItems(
      { events, notes, tasks, names, stages, mayEdit: (note) => mayChangeLeadNote(ctx, note) },
      zone,
    ),
    converted: lead.dealId
      ? {
          customer: customer ? { id: customer.id, name: customer.name } : null,
          deal: deal ? { id: deal.id, title: deal.title } : null,
        }
      : null,
    canConvert:
      canManage && !lead.dealId && can(role, "deals.manage") && can(role, "customers.manage"),
    canTask: canManage && can(role, "tasks.manage"),
    canManage,
    timeZone: zone,
  });
}

/** POST /leads/:leadId/stage: a move from the Kanban or the lead page (no script needed). */
export async function setStage({
  deps,
  ctx,
  body,
  record: lead,
}: PageCall<OneLead & { body: typeof stageFormSchema }>) {
  const stages = await businessLeadStages(deps, ctx.business.id);
  checkStageChoice(stages, body.stage, lead);
  await updateLead(deps, ctx, lead, { stage: body.stage as Lead["stage"] });
  return redirect(
    body.from === "board" ? "/leads/board" : `/leads/${lead.id}`,
    `${fullName(lead)} is now in ${stageName(stages, lead.stage)}.`,
  );
}

/** Where a refused move goes back to, with the reason as the flash. */
export function stageBack({ req, record }: PageFormCall<{ record: Lead }>) {
  const from = (req.body as { from?: unknown } | undefined)?.from;
  return from === "board" ? "/leads/board" : `/leads/${record.id}`;
}

/** GET /leads/:leadId/delete: the confirmation. */
export function confirmDelete({ req, res, record: lead }: PageCall<OneLead>) {
  res.render("leads/confirm-delete", {
    title: `Delete ${fullName(lead)}?`,
    csrfToken: csrfToken(req),
    lead: { id: lead.id, name: fullName(lead) },
  });
}

/** POST /leads/:leadId/delete */
export async function remove({ deps, ctx, record: lead }: PageCall<OneLead>) {
  await deleteLead(deps, ctx, lead);
  return redirect("/leads", `Lead ${fullName(lead)} deleted.`);
}
