import { Op, UniqueConstraintError, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Pipeline, PipelineStage, StageKind } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, findInBusiness, tenantWhere, type Scoped } from "../../tenancy/scope";
import { countsChanged } from "../dashboard/versions";

type Models = Pick<Deps, "models" | "sequelize">;

/** The stages every business starts with, in order. */
export const defaultStages: ReadonlyArray<{ name: string; probability: number; kind: StageKind }> =
  [
    { name: "New", probability: 10, kind: "open" },
    { name: "In progress", probability: 50, kind: "open" },
    { name: "Won", probability: 100, kind: "won" },
    { name: "Lost", probability: 0, kind: "lost" },
  ];

export const pipelineMessages = {
  stageName: "Enter a stage name (up to 60 characters).",
  stageNameTaken: "This pipeline already has a stage with that name.",
  moveTo: "Choose the stage its deals move to (another stage of this pipeline).",
  lastStage: "A pipeline keeps at least one stage.",
};

async function defaultPipeline(deps: Models, scoped: Scoped): Promise<Pipeline | null> {
  return deps.models.Pipeline.findOne({
    where: tenantWhere(scoped, deps.models.Pipeline, { isDefault: true }),
  });
}

/**
 * The business's default pipeline, created with its four stages on first use ("Sales": New,
 * In progress, Won, Lost). An explicit command the deal pages, API and commands call — never a
 * model hook. Idempotent and safe under concurrency: the pipeline and its stages are written in
 * one transaction whose first statement inserts the pipeline, and the unique index on
 * (business_id, is_default) lets only one default exist; a concurrent creator waits for that key,
 * gets a duplicate-key error, rolls back and reads the winner's pipeline.
 */
export async function ensureDefaultPipeline(deps: Models, businessId: number): Promise<Pipeline> {
  const scope = businessScope(businessId);
  const found = await defaultPipeline(deps, scope);
  if (found) return found;
  try {
    return await deps.sequelize.transaction(async (transaction) => {
      const pipeline = await deps.models.Pipeline.create(
        { businessId, name: "Sales", isDefault: true },
        { transaction },
      );
      await deps.models.PipelineStage.bulkCreate(
        defaultStages.map((stage, position) => ({
          businessId,
          pipelineId: pipeline.id,
          position,
          ...stage,
        })),
        { transaction },
      );
      return pipeline;
    });
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const winner = await defaultPipeline(deps, scope);
    if (!winner) throw error;
    return winner;
  }
}

/**
 * Another pipeline of the business (not the default), started with the default stages so it is
 * usable at once; its stages are then changed like any other's.
 */
export async function createPipeline(
  deps: Models,
  ctx: TenantContext,
  name: string,
): Promise<Pipeline> {
  authorize(ctx, "pipelines.manage");
  await ensureDefaultPipeline(deps, ctx.business.id);
  return deps.sequelize.transaction(async (transaction) => {
    const pipeline = await deps.models.Pipeline.create(
      { businessId: ctx.business.id, name, isDefault: null },
      { transaction },
    );
    await deps.models.PipelineStage.bulkCreate(
      defaultStages.map((stage, position) => ({
        businessId: ctx.business.id,
        pipelineId: pipeline.id,
        position,
        ...stage,
      })),
      { transaction },
    );
    return pipeline;
  });
}

/** Renames a pipeline. */
export async function renamePipeline(
  deps: Models,
  ctx: TenantContext,
  pipeline: Pipeline,
  name: string,
): Promise<Pipeline> {
  authorize(ctx, "pipelines.manage");
  return pipeline.update({ name });
}

/** The business's pipelines (the default first), making the default one on first use. */
export async function listPipelines(deps: Models, ctx: TenantContext): Promise<Pipeline[]> {
  await ensureDefaultPipeline(deps, ctx.business.id);
  return deps.models.Pipeline.findAll({
    where: tenantWhere(ctx, deps.models.Pipeline),
    include: [{ model: deps.models.PipelineStage, as: "stages" }],
    order: [
      ["isDefault", "DESC"],
      ["id", "ASC"],
      [{ model: deps.models.PipelineStage, as: "stages" }, "position", "ASC"],
    ],
  });
}

/** A pipeline of the business (404 otherwise); its stages are read with pipelineStages. */
export function loadPipeline(deps: Models, ctx: TenantContext, id: unknown): Promise<Pipeline> {
  return findInBusiness(ctx, deps.models.Pipeline, id);
}

/** The stages of a pipeline, in their order. */
export function pipelineStages(
  deps: Pick<Deps, "models">,
  scoped: Scoped,
  pipelineId: number,
  transaction?: Transaction,
): Promise<PipelineStage[]> {
  return deps.models.PipelineStage.findAll({
    where: tenantWhere(scoped, deps.models.PipelineStage, { pipelineId }),
    order: [
      ["position", "ASC"],
      ["id", "ASC"],
    ],
    transaction,
  });
}

export interface StageFields {
  name: string;
  probability: number;
  kind: StageKind;
}

function nameTaken(error: unknown): never {
  if (error instanceof UniqueConstraintError)
    throw AppError.validation({ name: pipelineMessages.stageNameTaken });
  throw error;
}

/** Adds a stage at the end of the pipeline. */
export async function addStage(
  deps: Models,
  ctx: TenantContext,
  pipeline: Pipeline,
  fields: StageFields,
): Promise<PipelineStage> {
  authorize(ctx, "pipelines.manage");
  const last = await deps.models.PipelineStage.max<number, PipelineStage>("position", {
    where: tenantWhere(ctx, deps.models.PipelineStage, { pipelineId: pipeline.id }),
  });
  return deps.models.PipelineStage.create({
    businessId: pipeline.businessId,
    pipelineId: pipeline.id,
    position: (typeof last === "number" ? last : -1) + 1,
    ...fields,
  }).catch(nameTaken);
}

/** Renames a stage, or changes its probability or kind. */
export async function updateStage(
  deps: Models,
  ctx: TenantContext,
  stage: PipelineStage,
  fields: StageFields,
): Promise<PipelineStage> {
  authorize(ctx, "pipelines.manage");
  return stage.update(fields).catch(nameTaken);
}

/**
 * Moves a stage one place up or down (the no-JavaScript buttons of the settings page): positions
 * are renumbered 0..n-1 in the new order, in one transaction.
 */
export async function moveStage(
  deps: Models,
  ctx: TenantContext,
  stage: PipelineStage,
  direction: "up" | "down",
): Promise<void> {
  authorize(ctx, "pipelines.manage");
  await deps.sequelize.transaction(async (transaction) => {
    const stages = await pipelineStages(deps, ctx, stage.pipelineId, transaction);
    const index = stages.findIndex((s) => s.id === stage.id);
    const target = direction === "up" ? index - 1 : index + 1;
    if (index < 0 || target < 0 || target >= stages.length) return;
    [stages[index], stages[target]] = [stages[target]!, stages[index]!];
    for (const [position, s] of stages.entries())
      if (s.position !== position) await s.update({ position }, { transaction });
  });
}

/** How many deals sit in a stage. */
export function dealsInStage(
  deps: Pick<Deps, "models">,
  scoped: Scoped,
  stageId: number,
): Promise<number> {
  return deps.models.Deal.count({
    where: tenantWhere(scoped, deps.models.Deal, { stageId }, { wholeBusiness: true }),
  });
}

/**
 * Removes a stage. An empty stage simply goes; a stage with deals needs `moveToStageId` (another
 * stage of the same pipeline): its deals move there first, in the same transaction (recorded on
 * their timelines by the caller's choice of words: "stage removed"). The last stage stays.
 */
export async function removeStage(
  deps: Models & Pick<Deps, "clock">,
  ctx: TenantContext,
  stage: PipelineStage,
  moveToStageId?: number | null,
): Promise<{ moved: number }> {
  authorize(ctx, "pipelines.manage");
  const stages = await pipelineStages(deps, ctx, stage.pipelineId);
  if (stages.length <= 1) throw AppError.validation({ stage: pipelineMessages.lastStage });
  const count = await dealsInStage(deps, ctx, stage.id);
  const target = stages.find((s) => s.id === moveToStageId && s.id !== stage.id);
  if (count > 0 && !target) throw AppError.validation({ moveToStageId: pipelineMessages.moveTo });
  await deps.sequelize.transaction(async (transaction) => {
    if (count > 0 && target) {
      const dealWhere = tenantWhere(
        ctx,
        deps.models.Deal,
        { stageId: stage.id },
        { wholeBusiness: true },
      );
      const ids = (
        await deps.models.Deal.findAll({ attributes: ["id"], where: dealWhere, transaction })
      ).map((d) => d.id);
      const now = deps.clock.now();
      await deps.models.Deal.update(
        {
          stageId: target.id,
          lastActivityAt: now,
          closedAt: target.kind === "open" ? null : now,
        },
        { where: dealWhere, transaction },
      );
      await countsChanged(deps, ctx, "deals", transaction);
      await deps.models.DealEvent.bulkCreate(
        ids.map((dealId) => ({
          businessId: stage.businessId,
          dealId,
          actorId: ctx.user.id,
          kind: "stage_changed" as const,
          details: JSON.stringify({
            from: stage.name,
            to: target.name,
            reason: "stage removed",
          }),
          createdAt: now,
        })),
        { transaction },
      );
    }
    await stage.destroy({ transaction });
    const rest = stages.filter((s) => s.id !== stage.id);
    for (const [position, s] of rest.entries())
      if (s.position !== position) await s.update({ position }, { transaction });
  });
  return { moved: count };
}

/** A stage of the business by id (404 otherwise). */
export function loadStage(deps: Models, ctx: TenantContext, id: unknown): Promise<PipelineStage> {
  return findInBusiness(ctx, deps.models.PipelineStage, id);
}

/** Stage ids of a pipeline whose kind is one of `kinds`. */
export async function stageIdsOfKind(
  deps: Pick<Deps, "models">,
  scoped: Scoped,
  kinds: StageKind[],
): Promise<number[]> {
  const rows = await deps.models.PipelineStage.findAll({
    attributes: ["id"],
    where: tenantWhere(scoped, deps.models.PipelineStage, { kind: { [Op.in]: kinds } }),
  });
  return rows.map((r) => r.id);
}
