import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { Lead } from "../../models";
import { presentLead } from "../../presenters/leads";
import type { TenantContext } from "../../tenancy/context";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { publishEvent } from "../../webhooks/publish";
import { completeFields, type LeadChanges } from "./input";
import { nextRoundRobinOwner } from "./roundRobin";
import { recomputeLeadScore } from "./scoring";
import { columnsOf, completeColumns } from "./writes";

/**
 * Leads a public form brings in, in two steps: the visitor's request saves the lead (one INSERT in
 * the submission's transaction, unowned, as typed), and the submission's follow-up job
 * (forms/followUp.ts) completes it — owner by the form's assignment, the "created" timeline entry
 * at the moment it was sent, the rules' score and the lead.created webhook — in the job's own
 * transaction. So a visitor waits for two INSERTs, not for a dozen reads and writes, and nothing
 * is lost: the submission row records the follow-up as owed until it has run.
 */
export async function insertCapturedLead(
  deps: Pick<Deps, "models">,
  businessId: number,
  changes: LeadChanges,
  answers: Record<string, unknown>,
  at: Date,
  transaction: Transaction,
): Promise<Lead> {
  const fields = completeFields(changes);
  return deps.models.Lead.create(
    {
      businessId,
      ...completeColumns(columnsOf(fields, null, at)),
      ownerId: null,
      answers: JSON.stringify(answers),
      createdById: null,
      createdAt: at,
      updatedAt: at,
    },
    { transaction },
  );
}

export type CapturedOwner =
  { kind: "none" } | { kind: "member"; userId: number } | { kind: "round_robin" };

/**
 * The follow-up of a captured lead, inside the job's transaction: its owner (the form's member if
 * still a member, else the next in turn, else nobody), its "created" entry dated when it was
 * sent, its score by the rules and the lead.created event. Returns the lead, or null when it was
 * deleted meanwhile.
 */
export async function completeCapturedLead(
  deps: Deps,
  ctx: TenantContext,
  leadId: number,
  owner: CapturedOwner,
  sentAt: Date,
  transaction: Transaction,
  /** The lead as this transaction inserted it (resolve.ts): not read again. */
  inserted?: Lead,
): Promise<Lead | null> {
  const { Lead, LeadEvent, Membership, User } = deps.models;
  const scope = businessScope(ctx.business.id);
  const lead =
    inserted ??
    (await Lead.findOne({
      where: tenantWhere(scope, Lead, { id: leadId }),
      transaction,
    }));
  if (!lead) return null;
  // Only an unowned lead takes the form's owner (someone may have claimed it already); the job's
  // first statement was a write, so on SQLite it holds the write lock the turn needs.
  let ownerId: number | null = null;
  if (lead.ownerId !== null) ownerId = null;
  else if (owner.kind === "round_robin")
    ownerId = await nextRoundRobinOwner(deps, ctx.business.id, transaction);
  else if (owner.kind === "member") {
    // A member who left since the form was set up: the lead waits unowned rather than be lost.
    const still = await Membership.count({
      where: tenantWhere(scope, Membership, { userId: owner.userId }),
      transaction,
    });
    ownerId = still ? owner.userId : null;
  }
  if (ownerId !== null) await lead.update({ ownerId }, { transaction, silent: true });
  await LeadEvent.create(
    {
      businessId: ctx.business.id,
      leadId,
      actorId: null,
      kind: "created",
      details: JSON.stringify({ stage: lead.stage }),
      createdAt: sentAt,
    },
    { transaction },
  );
  const score = await recomputeLeadScore(deps, ctx.business.id, lead, transaction);
  if (score !== null && score !== lead.score) {
    lead.setDataValue("score", score);
    lead.changed("score", false);
  }
  const ownerRow = lead.ownerId
    ? await User.findByPk(lead.ownerId, { attributes: ["id", "name"], transaction })
    : null;
  await publishEvent(
    deps,
    ctx,
    "lead.created",
    { ...presentLead(lead, ownerRow) },
    { transaction },
  );
  return lead;
}
