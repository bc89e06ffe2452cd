import { Op, UniqueConstraintError, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { campaignNameKey, type Campaign } from "../../models/Campaign";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { defaultCurrency } from "../deals/input";
import { campaignMessages, completeCampaign, type CampaignChanges } from "./input";

/** The member acting, or null for the business's own work. */
const actorOf = (ctx: TenantContext): number | null => (ctx.system ? null : ctx.user.id);

/** 409 naming the campaign that already has this name (campaigns are shared by the team). */
function duplicateName(existing: { id: number; name: string }): AppError {
  return new AppError("conflict", `A campaign named ${existing.name} already exists.`, {
    field: "name",
    campaignId: existing.id,
    url: `/campaigns/${existing.id}`,
  });
}

async function assertNameFree(
  deps: Deps,
  ctx: TenantContext,
  name: string,
  exceptId: number | null,
  transaction?: Transaction,
): Promise<void> {
  const existing = await deps.models.Campaign.findOne({
    where: tenantWhere(ctx, deps.models.Campaign, {
      nameKey: campaignNameKey(name),
      ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}),
    }),
    attributes: ["id", "name"],
    transaction,
  });
  if (existing) throw duplicateName(existing);
}

/** The owner and team must be members of the business: a field error names which is wrong. */
async function assertMembers(
  deps: Deps,
  ctx: TenantContext,
  ownerId: number | null | undefined,
  teamIds: number[] | undefined,
): Promise<void> {
  const wanted = [...new Set([...(ownerId ? [ownerId] : []), ...(teamIds ?? [])])];
  if (wanted.length === 0) return;
  const rows = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership, { userId: wanted }),
    attributes: ["userId"],
  });
  const members = new Set(rows.map((row) => row.userId));
  const errors: Record<string, string> = {};
  if (ownerId && !members.has(ownerId)) errors.ownerId = campaignMessages.owner;
  if (teamIds?.some((id) => !members.has(id))) errors.teamIds = campaignMessages.team;
  if (Object.keys(errors).length) throw AppError.validation(errors);
}

function checkDates(startsOn: string | null, endsOn: string | null): void {
  if (startsOn && endsOn && endsOn < startsOn)
    throw AppError.validation({ endsOn: campaignMessages.endBeforeStart });
}

async function setTeam(
  deps: Deps,
  ctx: TenantContext,
  campaignId: number,
  teamIds: number[],
  transaction: Transaction,
): Promise<void> {
  await deps.models.CampaignMember.destroy({
    where: tenantWhere(ctx, deps.models.CampaignMember, { campaignId }),
    transaction,
  });
  if (teamIds.length === 0) return;
  const createdAt = deps.clock.now();
  await deps.models.CampaignMember.bulkCreate(
    teamIds.map((userId) => ({ businessId: ctx.business.id, campaignId, userId, createdAt })),
    { transaction },
  );
}

/** A unique-index race lost to another request reads as the same friendly 409. */
async function translateDuplicate<T>(
  deps: Deps,
  ctx: TenantContext,
  name: string,
  exceptId: number | null,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintError) await assertNameFree(deps, ctx, name, exceptId);
    throw error;
  }
}

/**
 * Creates a campaign and its team in one transaction. The owner defaults to the creator; names are
 * unique per business whatever their case (409), since leads name their campaign as text.
 */
export async function createCampaign(
  deps: Deps,
  ctx: TenantContext,
  changes: CampaignChanges,
): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  const fields = completeCampaign({ ownerId: actorOf(ctx), ...changes }, defaultCurrency(ctx));
  if (!fields.name) throw AppError.validation({ name: campaignMessages.name });
  checkDates(fields.startsOn, fields.endsOn);
  await assertMembers(deps, ctx, fields.ownerId, fields.teamIds);
  const now = deps.clock.now();
  const { teamIds, compliance, ...columns } = fields;
  return translateDuplicate(deps, ctx, fields.name, null, () =>
    deps.sequelize.transaction(async (transaction) => {
      await assertNameFree(deps, ctx, fields.name, null, transaction);
      const campaign = await deps.models.Campaign.create(
        {
          businessId: ctx.business.id,
          ...columns,
          nameKey: campaignNameKey(fields.name),
          compliance: compliance.length ? JSON.stringify(compliance) : null,
          createdById: actorOf(ctx),
          createdAt: now,
          updatedAt: now,
        },
        { transaction },
      );
      await setTeam(deps, ctx, campaign.id, teamIds, transaction);
      return campaign;
    }),
  );
}

/** Changes the given fields of a campaign (and its team when teamIds is given). */
export async function updateCampaign(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
  changes: CampaignChanges,
): Promise<Campaign> {
  authorize(ctx, "campaigns.manage");
  if (changes.name !== undefined && !changes.name)
    throw AppError.validation({ name: campaignMessages.name });
  checkDates(
    changes.startsOn !== undefined ? changes.startsOn : campaign.startsOn,
    changes.endsOn !== undefined ? changes.endsOn : campaign.endsOn,
  );
  const ownerChanged = changes.ownerId !== undefined && changes.ownerId !== campaign.ownerId;
  await assertMembers(deps, ctx, ownerChanged ? changes.ownerId : null, changes.teamIds);
  const { teamIds, compliance, ...columns } = changes;
  const values: Partial<Campaign> = { ...columns, updatedAt: deps.clock.now() };
  if (changes.name !== undefined) values.nameKey = campaignNameKey(changes.name);
  if (compliance !== undefined)
    values.compliance = compliance.length ? JSON.stringify(compliance) : null;
  const name = changes.name ?? campaign.name;
  await translateDuplicate(deps, ctx, name, campaign.id, () =>
    deps.sequelize.transaction(async (transaction) => {
      if (changes.name !== undefined)
        await assertNameFree(deps, ctx, changes.name, campaign.id, transaction);
      await campaign.update(values, { transaction });
      if (teamIds !== undefined) await setTeam(deps, ctx, campaign.id, teamIds, transaction);
    }),
  );
  return campaign;
}

/**
 * Deletes a campaign and its team (the confirmation page comes first on the site). Leads keep
 * their campaign text, so re-creating the campaign attributes them again.
 */
export async function deleteCampaign(
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
): Promise<void> {
  authorize(ctx, "campaigns.manage");
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.CampaignMember.destroy({
      where: tenantWhere(ctx, deps.models.CampaignMember, { campaignId: campaign.id }),
      transaction,
    });
    await campaign.destroy({ transaction });
  });
}
