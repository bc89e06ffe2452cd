import type { CreationAttributes } from "sequelize";
import { ensureDefaultPipeline, pipelineStages } from "../src/commands/deals/pipelines";
import type { Business, Deal, DealEvent, Models, Pipeline, PipelineStage } from "../src/models";
import { businessScope } from "../src/tenancy/scope";
import { countsChanged } from "../src/commands/dashboard/versions";

/** The business's default pipeline ("Sales": New, In progress, Won, Lost) and its stages. */
export async function buildPipeline(
  models: Models,
  business: Business,
): Promise<{ pipeline: Pipeline; stages: PipelineStage[] }> {
  const deps = { models, sequelize: models.Deal.sequelize! };
  const pipeline = await ensureDefaultPipeline(deps, business.id);
  const stages = await pipelineStages(deps, businessScope(business.id), pipeline.id);
  return { pipeline, stages };
}

/** A deal of `business` in the first stage of its default pipeline, owned by its owner (no timeline). */
export async function buildDeal(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Deal>> = {},
): Promise<Deal> {
  const { pipeline, stages } = await buildPipeline(models, business);
  const deal = await models.Deal.create({
    businessId: business.id,
    pipelineId: pipeline.id,
    stageId: stages[0]!.id,
    title: "Annual maintenance contract",
    customerId: null,
    amountMinor: 15_000_000,
    currency: "INR",
    expectedCloseOn: null,
    ownerId: business.ownerId,
    createdById: business.ownerId,
    reason: null,
    lastActivityAt: new Date(),
    closedAt: null,
    ...overrides,
  });
  // As the deal commands do: the dashboard counts deals again.
  await countsChanged({ sequelize: models.Deal.sequelize! }, businessScope(business.id), "deals");
  return deal;
}

/** A timeline entry of a deal. */
export async function buildDealEvent(
  models: Models,
  deal: Deal,
  overrides: Partial<CreationAttributes<DealEvent>> = {},
): Promise<DealEvent> {
  return models.DealEvent.create({
    businessId: deal.businessId,
    dealId: deal.id,
    actorId: deal.ownerId,
    kind: "created",
    details: null,
    createdAt: new Date(),
    ...overrides,
  });
}
