import { Op, UniqueConstraintError, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Lead, LeadEventKind } from "../../models";
import { mayAssignOwners, type Member } from "../../policies/customers";
import { seesOnlyOwnRecords } from "../../policies/permissions";
import { presentLead } from "../../presenters/leads";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { publishEvent } from "../../webhooks/publish";
import { assertMember } from "../customers/writes";
import { autoOwner, completeFields, type LeadChanges, type LeadFields } from "./input";
import { nextRoundRobinOwner } from "./roundRobin";
import { recomputeLeadScore } from "./scoring";
import { businessLeadStages, checkStageChoice } from "./stages";

/** The member acting, or null for the business's own work (a job, a public form). */
const actorOf = (ctx: TenantContext): number | null => (ctx.system ? null : ctx.user.id);

export const leadOwnerRefusal =
  "Only an owner, admin or manager can hand leads to another member. Ask one of them to reassign it.";

/** Whether the member may open this lead: the same rule as the tenant scope (sales: their own). */
export function mayOpenLead(member: Member, lead: { ownerId: number | null }): boolean {
  return !seesOnlyOwnRecords(member.membership.role) || lead.ownerId === member.user.id;
}

/**
 * The customers' owner rule for leads too (policies/customers.ts): owners, admins and managers give
 * a lead to any member; everyone else owns the leads they create and cannot hand one over (403).
 */
async function ownerAfter(
  deps: Deps,
  ctx: TenantContext,
  current: number | null | "new",
  wanted: number | null | undefined,
): Promise<number | null> {
  const kept = current === "new" ? actorOf(ctx) : current;
  if (wanted === undefined || wanted === kept) return kept;
  if (!mayAssignOwners(ctx)) throw AppError.forbidden(leadOwnerRefusal);
  if (wanted !== null) await assertMember(deps, ctx, wanted);
  return wanted;
}

type Contact = { field: "phone" | "email"; value: string };

/**
 * The 409 of a phone or e-mail already on a lead of the business. Like customers ("A duplicate
 * phone is not an oracle", docs/decisions.md): a member who may open that lead gets its name and
 * link; a sales member whose colleague has it learns only that, and whom to ask.
 */
export function duplicateLead(
  member: Member,
  field: Contact["field"],
  existing: { id: number; firstName: string; lastName: string | null; ownerId: number | null },
): AppError {
  const what = field === "phone" ? "phone number" : "e-mail address";
  if (!mayOpenLead(member, existing))
    return new AppError(
      "conflict",
      `This ${what} belongs to a lead of another team member. Ask an owner, admin or manager to reassign that lead to you.`,
      { field },
    );
  const name = [existing.firstName, existing.lastName].filter(Boolean).join(" ");
  return new AppError("conflict", `A lead with this ${what} already exists: ${name}.`, {
    field,
    leadId: existing.id,
    url: `/leads/${existing.id}`,
  });
}

function contactsOf(fields: Pick<LeadFields, "phoneE164" | "email">): Contact[] {
  const contacts: Contact[] = [];
  if (fields.phoneE164) contacts.push({ field: "phone", value: fields.phoneE164 });
  if (fields.email) contacts.push({ field: "email", value: fields.email });
  return contacts;
}

/** Phones and e-mails are unique per business, so the check sees every lead of it (sales too). */
async function assertContactsFree(
  deps: Deps,
  ctx: TenantContext,
  contacts: Contact[],
  exceptId: number | null,
  transaction?: Transaction,
): Promise<void> {
  for (const { field, value } of contacts) {
    const column = field === "phone" ? "phoneE164" : "email";
    const existing = await deps.models.Lead.findOne({
      where: tenantWhere(
        ctx,
        deps.models.Lead,
        { [column]: value, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) },
        { wholeBusiness: true },
      ),
      attributes: ["id", "firstName", "lastName", "ownerId"],
      transaction,
    });
    if (existing) throw duplicateLead(ctx, field, existing);
  }
}

/** A unique-index race lost to another request reads as the same friendly 409. */
async function translateDuplicate<T>(
  deps: Deps,
  ctx: TenantContext,
  contacts: Contact[],
  exceptId: number | null,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    await assertContactsFree(deps, ctx, contacts, exceptId);
    throw error;
  }
}

/** The stored columns of the given fields (consent flags become the time they were given). */
export function columnsOf(changes: LeadChanges, lead: Lead | null, now: Date): Partial<Lead> {
  const { consentEmail, consentWhatsapp, interestedProducts, ownerId: _owner, ...plain } = changes;
  const values: Partial<Lead> = { ...plain };
  if (interestedProducts !== undefined)
    values.interestedProducts = interestedProducts.length
      ? JSON.stringify(interestedProducts)
      : null;
  // Consent keeps the moment it was first given; withdrawing clears it.
  if (consentEmail !== undefined)
    values.consentEmailAt = consentEmail ? (lead?.consentEmailAt ?? now) : null;
  if (consentWhatsapp !== undefined)
    values.consentWhatsappAt = consentWhatsapp ? (lead?.consentWhatsappAt ?? now) : null;
  return values;
}

async function recordLeadEvents(
  deps: Deps,
  ctx: TenantContext,
  leadId: number,
  entries: { kind: LeadEventKind; details?: Record<string, unknown> }[],
  transaction: Transaction,
): Promise<void> {
  const createdAt = deps.clock.now();
  await deps.models.LeadEvent.bulkCreate(
    entries.map((entry) => ({
      businessId: ctx.business.id,
      leadId,
      actorId: actorOf(ctx),
      kind: entry.kind,
      details: entry.details ? JSON.stringify(entry.details) : null,
      createdAt,
    })),
    { transaction },
  );
}

export interface CreateLeadOptions {
  /** Form answers kept on the lead (leads.answers, keyed by field key); scoring rules read them. */
  answers?: Record<string, unknown>;
}

/**
 * Whether the owner is "Automatic (round-robin)" — only for members who may hand leads to others
 * (and the business's own work: forms, imports), since the turn may go to anyone chosen.
 */
function wantsRoundRobin(ctx: TenantContext, changes: LeadChanges): boolean {
  if (changes.ownerId !== autoOwner) return false;
  if (!ctx.system && !mayAssignOwners(ctx)) throw AppError.forbidden(leadOwnerRefusal);
  return true;
}

/**
 * Creates a lead (owner: the creator unless a member who may assign names another, or the next
 * member in turn for ownerId "auto"), its "created" timeline entry and the lead.created webhook
 * event, in one transaction; the lead is then scored by the business's rules in it too. The
 * round-robin turn is taken inside that transaction (rolled back with it); with round-robin off or
 * nobody available the creator owns it. Duplicate phone or e-mail in the business → 409.
 */
export async function createLead(
  deps: Deps,
  ctx: TenantContext,
  changes: LeadChanges,
  options: CreateLeadOptions = {},
): Promise<Lead> {
  authorize(ctx, "leads.manage");
  const fields = completeFields(changes);
  // The business's own stages (stages.ts): a code it does not have, or Converted, is refused
  // here, so every way in (pages, API, imports, forms) gets the same field error.
  if (changes.stage !== undefined)
    checkStageChoice(await businessLeadStages(deps, ctx.business.id), changes.stage);
  if (!fields.firstName) throw AppError.validation({ firstName: "Enter the lead's first name." });
  const roundRobin = wantsRoundRobin(ctx, changes);
  const asked = roundRobin ? undefined : (changes.ownerId as number | null | undefined);
  const chosenOwner = await ownerAfter(deps, ctx, "new", asked);
  const contacts = contactsOf(fields);
  const now = deps.clock.now();
  return translateDuplicate(deps, ctx, contacts, null, () =>
    deps.sequelize.transaction(async (transaction) => {
      // The turn first: its UPDATE is the transaction's first statement (see roundRobin.ts).
      const ownerId = roundRobin
        ? ((await nextRoundRobinOwner(deps, ctx.business.id, transaction)) ?? chosenOwner)
        : chosenOwner;
      await assertContactsFree(deps, ctx, contacts, null, transaction);
      const lead = await deps.models.Lead.create(
        {
          businessId: ctx.business.id,
          ...completeColumns(columnsOf(fields, null, now)),
          ownerId,
          answers: options.answers ? JSON.stringify(options.answers) : null,
          createdById: actorOf(ctx),
          createdAt: now,
          updatedAt: now,
        },
        { transaction },
      );
      await syncScore(deps, lead, transaction);
      await recordLeadEvents(
        deps,
        ctx,
        lead.id,
        [{ kind: "created", details: { stage: lead.stage } }],
        transaction,
      );
      const owner = ownerId
        ? await deps.models.User.findByPk(ownerId, { attributes: ["id", "name"], transaction })
        : null;
      // In the same transaction: the event is recorded exactly when the lead is.
      await publishEvent(
        deps,
        ctx,
        "lead.created",
        { ...presentLead(lead, owner) },
        { transaction },
      );
      return lead;
    }),
  );
}

/** Scores the lead by the business's rules in the writing transaction; the instance follows. */
async function syncScore(deps: Deps, lead: Lead, transaction: Transaction): Promise<void> {
  const score = await recomputeLeadScore(deps, lead.businessId, lead.id, transaction);
  if (score !== null && score !== lead.score) {
    lead.setDataValue("score", score);
    lead.changed("score", false);
  }
}

/** Every column of a new lead (what columnsOf gives for complete fields, typed as such). */
export function completeColumns(values: Partial<Lead>) {
  return values as Omit<
    Lead,
    "id" | "businessId" | "ownerId" | "createdById" | "createdAt" | "updatedAt" | "owner"
  > &
    Partial<Lead>;
}

const comparable = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
};

/**
 * Changes the given fields of a lead the member can see (loaded through the scope). A stage or
 * owner change is its own timeline entry, other fields one "updated" entry listing them; nothing
 * is written when nothing changes.
 */
export async function updateLead(
  deps: Deps,
  ctx: TenantContext,
  lead: Lead,
  changes: LeadChanges,
): Promise<Lead> {
  authorize(ctx, "leads.manage");
  if (changes.firstName !== undefined && !changes.firstName)
    throw AppError.validation({ firstName: "Enter the lead's first name." });
  if (changes.stage !== undefined && changes.stage !== lead.stage)
    checkStageChoice(await businessLeadStages(deps, ctx.business.id), changes.stage, lead);
  // "Automatic" on an edit hands the lead to the next member in turn (kept when nobody is).
  const ownerId = wantsRoundRobin(ctx, changes)
    ? ((await nextRoundRobinOwner(deps, ctx.business.id)) ?? lead.ownerId)
    : await ownerAfter(deps, ctx, lead.ownerId, changes.ownerId as number | null | undefined);
  const now = deps.clock.now();
  const { ownerId: _asked, ...columns } = columnsOf(changes, lead, now);
  // The owner last, so its entry follows a stage change's on the timeline.
  const wanted: Record<string, unknown> = { ...columns, ownerId };
  const values: Record<string, unknown> = {};
  const updated: Record<string, [unknown, unknown]> = {};
  const entries: { kind: LeadEventKind; details?: Record<string, unknown> }[] = [];
  const current = lead as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(wanted)) {
    if (comparable(current[key]) === comparable(value)) continue;
    values[key] = value;
    if (key === "stage")
      entries.push({ kind: "stage_changed", details: { from: lead.stage, to: value } });
    else if (key === "ownerId")
      entries.push({ kind: "owner_changed", details: { from: lead.ownerId, to: value } });
    else updated[key] = [comparable(current[key]), comparable(value)];
  }
  if (Object.keys(updated).length) entries.push({ kind: "updated", details: { changes: updated } });
  if (entries.length === 0) return lead;
  const contacts = contactsOf({
    phoneE164: "phoneE164" in values ? (values.phoneE164 as string | null) : null,
    email: "email" in values ? (values.email as string | null) : null,
  });
  await translateDuplicate(deps, ctx, contacts, lead.id, () =>
    deps.sequelize.transaction(async (transaction) => {
      await assertContactsFree(deps, ctx, contacts, lead.id, transaction);
      await lead.update({ ...values, updatedAt: now }, { transaction });
      await recordLeadEvents(deps, ctx, lead.id, entries, transaction);
      await syncScore(deps, lead, transaction);
    }),
  );
  return lead;
}

/** Deletes a lead and its timeline (the confirmation page comes first on the site). */
export async function deleteLead(deps: Deps, ctx: TenantContext, lead: Lead): Promise<void> {
  authorize(ctx, "leads.manage");
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.LeadEvent.destroy({
      where: tenantWhere(ctx, deps.models.LeadEvent, { leadId: lead.id }),
      transaction,
    });
    await lead.destroy({ transaction });
  });
}
