import { randomBytes } from "node:crypto";
import { Op, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { LeadStage, LeadStageKind } from "../../models";
import type { LeadStageRow } from "../../models/LeadWork";
import { authorize, type TenantContext } from "../../tenancy/context";
import { selectRows } from "../../db/connection";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { rememberedSetup, setupChanged } from "../setup";

/** One of a business's lead stages as every page and command reads it. */
export interface LeadStageInfo {
  code: string;
  name: string;
  kind: LeadStageKind;
  position: number;
}

/**
 * The stages a business starts with. The codes of New, Converted and Lost are fixed: leads.stage
 * keeps them and conversion, the forms and the importer rely on them; only the names change.
 */
export const defaultLeadStages: ReadonlyArray<Omit<LeadStageInfo, "position">> = [
  { code: "new", name: "New", kind: "entry" },
  { code: "contacted", name: "Contacted", kind: "open" },
  { code: "qualified", name: "Qualified", kind: "open" },
  { code: "lost", name: "Lost", kind: "lost" },
  { code: "converted", name: "Converted", kind: "converted" },
];

export const maxLeadStages = 20;

export const stageMessages = {
  name: "Enter a stage name of up to 60 characters.",
  taken: "Another stage already has this name.",
  tooMany: `A business has at most ${maxLeadStages} lead stages.`,
  fixed: "New, Converted and Lost cannot be removed (they can be renamed).",
  target: "Choose the stage its leads move to.",
  converted:
    "A lead reaches Converted only by converting it (Convert on the lead page makes the customer and the deal).",
  leaveConverted: "This lead was converted into a customer and a deal; it stays Converted.",
};

const info = (row: LeadStageRow): LeadStageInfo => ({
  code: row.code,
  name: row.name,
  kind: row.kind,
  position: row.position,
});

async function readStages(
  deps: Pick<Deps, "models">,
  businessId: number,
  transaction?: Transaction,
): Promise<LeadStageInfo[]> {
  const { LeadStage } = deps.models;
  const sequelize = LeadStage.sequelize;
  if (!transaction && sequelize) {
    // Every leads page reads the stages: a plain read, no model instances.
    const sql = tenantSql({ sequelize }, businessScope(businessId));
    const rows = await selectRows<LeadStageInfo>(
      sequelize,
      sql.text`SELECT s.code, s.name, s.kind, s.position FROM lead_stages s
        WHERE ${sql.scoped("s")} ORDER BY s.position, s.id`,
    );
    return rows.map((row) => ({ ...row, position: Number(row.position) }));
  }
  const rows = await LeadStage.findAll({
    where: tenantWhere(businessScope(businessId), LeadStage),
    order: [
      ["position", "ASC"],
      ["id", "ASC"],
    ],
    transaction,
  });
  return rows.map(info);
}

/**
 * The business's stages in their order, writing the default ones on first use. Safe under
 * concurrency: the unique (business, code) index makes a second writer's rows no-ops.
 */
export async function businessLeadStages(
  deps: Pick<Deps, "models">,
  businessId: number,
  transaction?: Transaction,
): Promise<LeadStageInfo[]> {
  const rows = await readStages(deps, businessId, transaction);
  if (rows.length > 0) return rows;
  await deps.models.LeadStage.bulkCreate(
    defaultLeadStages.map((stage, position) => ({ businessId, position, ...stage })),
    { ignoreDuplicates: true, transaction },
  );
  return readStages(deps, businessId, transaction);
}

/**
 * businessLeadStages for a page of the member's business, remembered per setup version
 * (setup.ts: every stage write raises it). Each caller gets its own copy.
 */
export async function contextLeadStages(
  deps: Pick<Deps, "models">,
  ctx: Pick<TenantContext, "business">,
): Promise<LeadStageInfo[]> {
  const stages = await rememberedSetup(ctx.business, "lead-stages", () =>
    businessLeadStages(deps, ctx.business.id),
  );
  return stages.map((stage) => ({ ...stage }));
}

/** The stage's name, or its code when a stage was removed under a lead (never left so: moved). */
export function stageName(stages: readonly LeadStageInfo[], code: string): string {
  return stages.find((stage) => stage.code === code)?.name ?? code;
}

/**
 * The stage a lead may be put in by a form, the API or the board: one of the business's, and not
 * Converted (only a conversion puts a lead there, with its customer and deal).
 */
export function checkStageChoice(
  stages: readonly LeadStageInfo[],
  code: string,
  lead?: { stage: string; dealId: number | null },
): void {
  const stage = stages.find((s) => s.code === code);
  if (!stage)
    throw AppError.validation({
      stage: `Choose a stage: ${stages.map((s) => s.name).join(", ")}.`,
    });
  if (lead && lead.stage === code) return;
  if (stage.kind === "converted") throw AppError.validation({ stage: stageMessages.converted });
  if (lead?.dealId) throw AppError.validation({ stage: stageMessages.leaveConverted });
}

/** A stage filter names one of the business's stages (422 otherwise, like any bad filter). */
export async function checkStageFilter(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  code: string,
): Promise<void> {
  const stages = await businessLeadStages(deps, ctx.business.id);
  if (!stages.some((s) => s.code === code))
    throw AppError.validation({
      stage: `Choose a stage: ${stages.map((s) => `${s.code} (${s.name})`).join(", ")}.`,
    });
}

async function loadRow(deps: Pick<Deps, "models">, ctx: TenantContext, code: string) {
  const row = await deps.models.LeadStage.findOne({
    where: tenantWhere(ctx, deps.models.LeadStage, { code }),
  });
  if (!row) throw AppError.notFound("That stage does not exist (any more).");
  return row;
}

async function assertNameFree(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  name: string,
  exceptCode: string | null,
) {
  const stages = await businessLeadStages(deps, ctx.business.id);
  const clash = stages.find(
    (s) => s.code !== exceptCode && s.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) throw AppError.validation({ name: stageMessages.taken });
  return stages;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 60) throw AppError.validation({ name: stageMessages.name });
  return trimmed;
}

/** Renames a stage (any of them: New, Converted and Lost keep their meaning under a new name). */
export async function renameLeadStage(
  deps: Pick<Deps, "models" | "sequelize">,
  ctx: TenantContext,
  code: string,
  name: string,
): Promise<void> {
  authorize(ctx, "pipelines.manage");
  const wanted = checkName(name);
  await assertNameFree(deps, ctx, wanted, code);
  const row = await loadRow(deps, ctx, code);
  await deps.sequelize.transaction(async (transaction) => {
    await row.update({ name: wanted }, { transaction });
    await setupChanged(deps, ctx, transaction);
  });
}

/** Adds an open stage just before Lost (the closed stages stay last unless moved). */
export async function addLeadStage(
  deps: Pick<Deps, "models" | "sequelize">,
  ctx: TenantContext,
  name: string,
): Promise<LeadStageInfo> {
  authorize(ctx, "pipelines.manage");
  const wanted = checkName(name);
  const stages = await assertNameFree(deps, ctx, wanted, null);
  if (stages.length >= maxLeadStages) throw AppError.validation({ name: stageMessages.tooMany });
  const firstClosed = stages.findIndex((s) => s.kind === "lost" || s.kind === "converted");
  const at = firstClosed === -1 ? stages.length : firstClosed;
  // A fresh code: leads store it, so renaming later never touches them.
  const code = `c${randomBytes(5).toString("hex")}`;
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.LeadStage.increment("position", {
      by: 1,
      where: tenantWhere(ctx, deps.models.LeadStage, { position: { [Op.gte]: at } }),
      transaction,
    });
    await deps.models.LeadStage.create(
      { businessId: ctx.business.id, code, name: wanted, kind: "open", position: at },
      { transaction },
    );
    await setupChanged(deps, ctx, transaction);
  });
  return { code, name: wanted, kind: "open", position: at };
}

/** Moves a stage one place up or down (positions are rewritten 0…n-1 in one transaction). */
export async function moveLeadStage(
  deps: Pick<Deps, "models" | "sequelize">,
  ctx: TenantContext,
  code: string,
  direction: "up" | "down",
): Promise<void> {
  authorize(ctx, "pipelines.manage");
  const stages = await businessLeadStages(deps, ctx.business.id);
  const from = stages.findIndex((s) => s.code === code);
  if (from === -1) throw AppError.notFound("That stage does not exist (any more).");
  const to = direction === "up" ? from - 1 : from + 1;
  if (to < 0 || to >= stages.length) return;
  const order = stages.map((s) => s.code);
  [order[from], order[to]] = [order[to]!, order[from]!];
  await deps.sequelize.transaction(async (transaction) => {
    for (const [position, each] of order.entries())
      await deps.models.LeadStage.update(
        { position },
        { where: tenantWhere(ctx, deps.models.LeadStage, { code: each }), transaction },
      );
    await setupChanged(deps, ctx, transaction);
  });
}

/** How many of the business's leads are in a stage (every lead, whoever owns it). */
export function leadsInStage(deps: Pick<Deps, "models">, ctx: TenantContext, code: string) {
  return deps.models.Lead.count({
    where: tenantWhere(ctx, deps.models.Lead, { stage: code }, { wholeBusiness: true }),
  });
}

/**
 * Removes an open stage. Its leads move to `moveTo` first, in the same transaction, so no lead is
 * ever left in a stage that does not exist; with leads and no target it is refused (422).
 */
export async function removeLeadStage(
  deps: Pick<Deps, "models" | "sequelize" | "clock">,
  ctx: TenantContext,
  code: string,
  moveTo: string | undefined,
): Promise<{ moved: number }> {
  authorize(ctx, "pipelines.manage");
  const stages = await businessLeadStages(deps, ctx.business.id);
  const stage = stages.find((s) => s.code === code);
  if (!stage) throw AppError.notFound("That stage does not exist (any more).");
  if (stage.kind !== "open") throw AppError.validation({ stage: stageMessages.fixed });
  const target = moveTo === undefined ? undefined : stages.find((s) => s.code === moveTo);
  if (moveTo !== undefined && (!target || target.code === code || target.kind === "converted"))
    throw AppError.validation({ moveTo: stageMessages.target });
  return deps.sequelize.transaction(async (transaction) => {
    const where = tenantWhere(ctx, deps.models.Lead, { stage: code }, { wholeBusiness: true });
    const inUse = await deps.models.Lead.count({ where, transaction });
    if (inUse > 0 && !target)
      throw AppError.validation({
        moveTo: `${inUse} lead${inUse === 1 ? " is" : "s are"} in ${stage.name}: choose the stage they move to.`,
      });
    const [moved] = target
      ? await deps.models.Lead.update(
          { stage: target.code as LeadStage, updatedAt: deps.clock.now() },
          { where, transaction },
        )
      : [0];
    await deps.models.LeadStage.destroy({
      where: tenantWhere(ctx, deps.models.LeadStage, { code }),
      transaction,
    });
    const rest = stages.filter((s) => s.code !== code);
    for (const [position, each] of rest.entries())
      if (each.position !== position)
        await deps.models.LeadStage.update(
          { position },
          { where: tenantWhere(ctx, deps.models.LeadStage, { code: each.code }), transaction },
        );
    await setupChanged(deps, ctx, transaction);
    return { moved };
  });
}
