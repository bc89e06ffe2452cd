import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { membersWhoMay } from "../members";
import { scoringSettingsAction } from "./scoringRules";

/**
 * The round-robin settings page (/settings/lead-assignment): on/off, and which members who may own
 * leads take turns, each available or not. Same people as the scoring rules (pipelines.manage).
 */
export interface AssignmentMemberView {
  id: number;
  name: string;
  chosen: boolean;
  available: boolean;
}

export interface AssignmentView {
  enabled: boolean;
  members: AssignmentMemberView[];
  /** How many chosen and available members take the next turns now. */
  taking: number;
}

export async function assignmentSettings(
  deps: Pick<Deps, "models" | "sequelize">,
  ctx: TenantContext,
): Promise<AssignmentView> {
  authorize(ctx, scoringSettingsAction);
  const { LeadAssignmentSettings, LeadAssignmentMember } = deps.models;
  const settings = await LeadAssignmentSettings.findOne({
    where: tenantWhere(ctx, LeadAssignmentSettings),
  });
  const rows = await LeadAssignmentMember.findAll({
    where: tenantWhere(ctx, LeadAssignmentMember),
  });
  const byUser = new Map(rows.map((r) => [r.userId, r]));
  const members = (await membersWhoMay(deps, ctx, "leads.manage")).map((m) => {
    const row = byUser.get(m.id);
    return { id: m.id, name: m.name, chosen: Boolean(row), available: row?.available ?? false };
  });
  return {
    enabled: settings?.enabled ?? false,
    members,
    taking: members.filter((m) => m.chosen && m.available).length,
  };
}

export interface AssignmentInput {
  enabled: boolean;
  /** Chosen members' ids, and which of them are available now. */
  chosen: number[];
  available: number[];
}

/** Reads the settings form: enabled=on, chosen=<id> (repeated), available=<id> (repeated). */
export function parseAssignment(body: Record<string, unknown>): AssignmentInput {
  const ids = (value: unknown, field: string): number[] => {
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return list.map((v) => {
      const id = typeof v === "string" && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(id) || id <= 0)
        throw AppError.validation({ [field]: "Choose members from the list." });
      return id;
    });
  };
  return {
    enabled: body.enabled === "on" || body.enabled === "true" || body.enabled === true,
    chosen: ids(body.chosen, "chosen"),
    available: ids(body.available, "available"),
  };
}

/**
 * Saves the switch and the chosen members (rows of members no longer chosen are removed). Only
 * members who may own leads can be chosen; switching on with nobody chosen is refused. The turn
 * counter is kept, so turns go on where they were.
 */
export async function saveAssignmentSettings(
  deps: Pick<Deps, "models" | "sequelize" | "clock">,
  ctx: TenantContext,
  input: AssignmentInput,
): Promise<void> {
  authorize(ctx, scoringSettingsAction);
  const allowed = new Set((await membersWhoMay(deps, ctx, "leads.manage")).map((m) => m.id));
  const chosen = [...new Set(input.chosen)];
  if (chosen.some((id) => !allowed.has(id)))
    throw AppError.validation({ chosen: "Choose members who may own leads." });
  if (input.enabled && chosen.length === 0)
    throw AppError.validation({ chosen: "Choose at least one member to switch round-robin on." });
  const available = new Set(input.available);
  const { LeadAssignmentSettings, LeadAssignmentMember } = deps.models;
  const now = deps.clock.now();
  const businessId = ctx.business.id;
  // The settings row first, on its own: made inside the transaction, two first saves could
  // deadlock on the new key (see tickets/numbering.ts).
  await LeadAssignmentSettings.bulkCreate(
    [{ businessId, enabled: false, turn: 0, createdAt: now, updatedAt: now }],
    { ignoreDuplicates: true },
  );
  await deps.sequelize.transaction(async (transaction) => {
    await LeadAssignmentSettings.update(
      { enabled: input.enabled, updatedAt: now },
      { where: tenantWhere(ctx, LeadAssignmentSettings), transaction },
    );
    const rows = await LeadAssignmentMember.findAll({
      where: tenantWhere(ctx, LeadAssignmentMember),
      transaction,
    });
    for (const row of rows) {
      if (!chosen.includes(row.userId)) await row.destroy({ transaction });
      else if (row.available !== available.has(row.userId))
        await row.update({ available: available.has(row.userId), updatedAt: now }, { transaction });
    }
    const existing = new Set(rows.map((r) => r.userId));
    const added = chosen.filter((id) => !existing.has(id));
    if (added.length)
      await LeadAssignmentMember.bulkCreate(
        added.map((userId) => ({
          businessId,
          userId,
          available: available.has(userId),
          createdAt: now,
          updatedAt: now,
        })),
        { transaction },
      );
  });
}
