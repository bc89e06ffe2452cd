import type { Deal, Pipeline, PipelineStage } from "../models";
import { formatMoney } from "../commands/deals/money";

/** Whether an open deal has gone `staleDays` without activity at `now`. */
export function isStale(
  deal: Pick<Deal, "lastActivityAt">,
  stage: Pick<PipelineStage, "kind"> | undefined,
  now: Date,
  staleDays: number,
): boolean {
  if (!stage || stage.kind !== "open") return false;
  return now.getTime() - deal.lastActivityAt.getTime() >= staleDays * 86_400_000;
}

const person = (p: { id: number; name: string } | null | undefined) =>
  p ? { id: p.id, name: p.name } : null;

/** One deal as the API answers it (and as webhook payloads carry it). */
export function presentDeal(deal: Deal, now: Date, staleDays: number) {
  return {
    id: deal.id,
    title: deal.title,
    pipelineId: deal.pipelineId,
    stageId: deal.stageId,
    stage: deal.stage ? { id: deal.stage.id, name: deal.stage.name, kind: deal.stage.kind } : null,
    amountMinor: deal.amountMinor,
    currency: deal.currency,
    amountFormatted: formatMoney(deal.amountMinor, deal.currency),
    customerId: deal.customerId,
    customer: person(deal.customer),
    ownerId: deal.ownerId,
    owner: person(deal.owner),
    expectedCloseOn: deal.expectedCloseOn,
    reason: deal.reason,
    stale: isStale(deal, deal.stage, now, staleDays),
    lastActivityAt: deal.lastActivityAt.toISOString(),
    closedAt: deal.closedAt ? deal.closedAt.toISOString() : null,
    createdAt: deal.createdAt.toISOString(),
    updatedAt: deal.updatedAt.toISOString(),
  };
}

export function presentStage(stage: PipelineStage) {
  return {
    id: stage.id,
    name: stage.name,
    position: stage.position,
    probability: stage.probability,
    kind: stage.kind,
  };
}

/** One pipeline with its stages in order (the API's /pipelines). */
export function presentPipeline(pipeline: Pipeline) {
  return {
    id: pipeline.id,
    name: pipeline.name,
    isDefault: pipeline.isDefault === true,
    stages: (pipeline.stages ?? []).map(presentStage),
  };
}
