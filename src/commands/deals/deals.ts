import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { Deal, DealEventKind, PipelineStage } from "../../models";
import { presentDeal } from "../../presenters/deals";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, findInBusiness, tenantWhere } from "../../tenancy/scope";
import { publishEvent, wantsEvent } from "../../webhooks/publish";
import {
  checkCurrency,
  checkDealCustomer,
  checkDealOwner,
  checkPipeline,
  defaultCurrency,
  stageOf,
  type DealChanges,
  type NewDeal,
} from "./input";
import { ensureDefaultPipeline, pipelineStages } from "./pipelines";
import { countsChanged } from "../dashboard/versions";

export interface DealEventEntry {
  kind: DealEventKind;
  details?: Record<string, unknown>;
}

/** The includes every presented deal needs: its stage, customer and owner names. */
export function dealIncludes(deps: Pick<Deps, "models">) {
  return [
    { model: deps.models.PipelineStage, as: "stage" },
    { model: deps.models.Customer, as: "customer", attributes: ["id", "name"] },
    { model: deps.models.User, as: "owner", attributes: ["id", "name"] },
  ];
}

/** A deal the member may open, with its stage, customer and owner (404 otherwise: scope). */
export function loadDeal(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  id: unknown,
  transaction?: Transaction,
): Promise<Deal> {
  return findInBusiness(ctx, deps.models.Deal, id, { include: dealIncludes(deps), transaction });
}

async function recordDealEvents(
  deps: Pick<Deps, "models">,
  deal: Deal,
  actorId: number | null,
  entries: DealEventEntry[],
  now: Date,
  transaction: Transaction,
): Promise<void> {
  await deps.models.DealEvent.bulkCreate(
    entries.map((entry) => ({
      businessId: deal.businessId,
      dealId: deal.id,
      actorId,
      kind: entry.kind,
      details: entry.details ? JSON.stringify(entry.details) : null,
      createdAt: now,
    })),
    { transaction },
  );
}

const closedAtFor = (stage: PipelineStage, was: Date | null, now: Date) =>
  stage.kind === "open" ? null : (was ?? now);

/**
 * Creates a deal in the pipeline given (the business's default one, made on first use, otherwise)
 * at the stage given or its first. The currency defaults to the business's; the owner follows the
 * customers' owner rule (sales own what they create). A "created" entry goes on its timeline.
 */
export async function createDeal(deps: Deps, ctx: TenantContext, input: NewDeal): Promise<Deal> {
  authorize(ctx, "deals.manage");
  const pipeline =
    input.pipelineId === undefined
      ? await ensureDefaultPipeline(deps, ctx.business.id)
      : await checkPipeline(deps, ctx, input.pipelineId);
  const stage = stageOf(await pipelineStages(deps, ctx, pipeline.id), input.stageId);
  const customerId = await checkDealCustomer(deps, ctx, input.customerId ?? null);
  const ownerId = await checkDealOwner(deps, ctx, "new", input.ownerId);
  const currency = input.currency ? checkCurrency(input.currency) : defaultCurrency(ctx);
  const created = await deps.sequelize.transaction((transaction) =>
    insertDeal(
      deps,
      ctx,
      { ...input, pipelineId: pipeline.id, stage, customerId, ownerId, currency },
      transaction,
    ),
  );
  return loadDeal(deps, ctx, created.id);
}

/**
 * The row and its "created" entry, in the caller's transaction, from values already checked
 * (createDeal, and a lead's conversion, which makes the customer in the same transaction).
 */
export async function insertDeal(
  deps: Deps,
  ctx: TenantContext,
  input: Omit<NewDeal, "stageId"> & {
    pipelineId: number;
    stage: PipelineStage;
    customerId: number | null;
    ownerId: number | null;
    currency: string;
    leadId?: number | null;
  },
  transaction: Transaction,
): Promise<Deal> {
  const { stage, currency, ownerId } = input;
  const now = deps.clock.now();
  const deal = await deps.models.Deal.create(
    {
      businessId: ctx.business.id,
      pipelineId: input.pipelineId,
      stageId: stage.id,
      title: input.title,
      customerId: input.customerId,
      leadId: input.leadId ?? null,
      amountMinor: input.amountMinor ?? 0,
      currency,
      expectedCloseOn: input.expectedCloseOn ?? null,
      ownerId,
      createdById: ctx.system ? null : ctx.user.id,
      reason: stage.kind === "open" ? null : (input.reason ?? null),
      lastActivityAt: now,
      closedAt: closedAtFor(stage, null, now),
      createdAt: now,
      updatedAt: now,
    },
    { transaction },
  );
  await countsChanged(deps, ctx, "deals", transaction);
  await recordDealEvents(
    deps,
    deal,
    ctx.system ? null : ctx.user.id,
    [
      {
        kind: "created",
        details: {
          stage: stage.name,
          amountMinor: deal.amountMinor,
          currency,
          ownerId,
          ...(input.leadId ? { leadId: input.leadId } : {}),
        },
      },
    ],
    now,
    transaction,
  );
  return deal;
}

/**
 * Changes a deal's fields. Every change of stage, amount (or currency) and owner goes on its
 * timeline as its own entry, other fields as one "updated" entry, in the change's transaction,
 * and the deal's last activity moves to now. A stage change publishes deal.stage_changed in that
 * transaction (outbox). Moving to an open stage clears the won/lost reason. Nothing is written
 * when nothing changes.
 */
export async function updateDeal(
  deps: Deps,
  ctx: TenantContext,
  deal: Deal,
  changes: DealChanges,
): Promise<Deal> {
  authorize(ctx, "deals.manage");
  const stages = await pipelineStages(deps, ctx, deal.pipelineId);
  const from = stageOf(stages, deal.stageId);
  const to = changes.stageId === undefined ? from : stageOf(stages, changes.stageId);
  const customerId =
    changes.customerId === undefined
      ? deal.customerId
      : await checkDealCustomer(deps, ctx, changes.customerId, deal.customerId);
  const ownerId =
    changes.ownerId === undefined
      ? deal.ownerId
      : await checkDealOwner(deps, ctx, deal.ownerId, changes.ownerId);
  const currency = changes.currency ? checkCurrency(changes.currency) : deal.currency;
  const amountMinor = changes.amountMinor ?? deal.amountMinor;
  const reasonWanted = changes.reason === undefined ? deal.reason : changes.reason;
  const reason = to.kind === "open" ? null : reasonWanted;

  const now = deps.clock.now();
  const entries: DealEventEntry[] = [];
  const values: Partial<Deal> = {};
  if (to.id !== from.id) {
    entries.push({
      kind: "stage_changed",
      details: { from: from.name, to: to.name, ...(reason ? { reason } : {}) },
    });
    Object.assign(values, { stageId: to.id, closedAt: closedAtFor(to, deal.closedAt, now) });
  }
  if (amountMinor !== deal.amountMinor || currency !== deal.currency) {
    entries.push({
      kind: "amount_changed",
      details: {
        from: { amountMinor: deal.amountMinor, currency: deal.currency },
        to: { amountMinor, currency },
      },
    });
    Object.assign(values, { amountMinor, currency });
  }
  if (ownerId !== deal.ownerId) {
    entries.push({ kind: "owner_changed", details: { from: deal.ownerId, to: ownerId } });
    values.ownerId = ownerId;
  }
  const others: Record<string, [unknown, unknown]> = {};
  const next = {
    title: changes.title ?? deal.title,
    customerId,
    expectedCloseOn:
      changes.expectedCloseOn === undefined ? deal.expectedCloseOn : changes.expectedCloseOn,
    reason,
  };
  for (const field of ["title", "customerId", "expectedCloseOn", "reason"] as const) {
    if (next[field] !== deal[field]) {
      // A move's reason is told by its stage_changed entry already.
      if (field !== "reason" || to.id === from.id) others[field] = [deal[field], next[field]];
      Object.assign(values, { [field]: next[field] });
    }
  }
  if (Object.keys(others).length) entries.push({ kind: "updated", details: { changes: others } });
  if (entries.length === 0) return deal;

  await deps.sequelize.transaction(async (transaction) => {
    await deal.update({ ...values, lastActivityAt: now, updatedAt: now }, { transaction });
    await countsChanged(deps, ctx, "deals", transaction);
    await recordDealEvents(deps, deal, ctx.user.id, entries, now, transaction);
    if (to.id !== from.id) await publishStageChanged(deps, ctx, deal, from, transaction);
  });
  return loadDeal(deps, ctx, deal.id);
}

/** Moves a deal to another stage of its pipeline (the board's form, the API's /stage). */
export function moveDeal(
  deps: Deps,
  ctx: TenantContext,
  deal: Deal,
  stageId: number,
  reason?: string | null,
): Promise<Deal> {
  return updateDeal(deps, ctx, deal, {
    stageId,
    ...(reason !== undefined ? { reason } : {}),
  });
}

/** Deletes a deal and its timeline (the pages ask for confirmation first). */
export async function deleteDeal(deps: Deps, ctx: TenantContext, deal: Deal): Promise<void> {
  authorize(ctx, "deals.manage");
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.DealEvent.destroy({
      where: tenantWhere(ctx, deps.models.DealEvent, { dealId: deal.id }),
      transaction,
    });
    await deal.destroy({ transaction });
    await countsChanged(deps, ctx, "deals", transaction);
  });
}

/**
 * deal.stage_changed to the business's webhooks, in the move's transaction (outbox): the deal as
 * the API presents it, plus the stage it left.
 */
async function publishStageChanged(
  deps: Deps,
  ctx: TenantContext,
  deal: Deal,
  from: PipelineStage,
  transaction: Transaction,
): Promise<void> {
  if (!(await wantsEvent(deps, ctx, "deal.stage_changed", transaction))) return;
  const fresh = await findInBusiness(businessScope(deal.businessId), deps.models.Deal, deal.id, {
    include: dealIncludes(deps),
    transaction,
  });
  await publishEvent(
    deps,
    ctx,
    "deal.stage_changed",
    {
      ...presentDeal(fresh, deps.clock.now(), deps.config.DEALS_STALE_DAYS),
      previousStage: { id: from.id, name: from.name, kind: from.kind },
    },
    { transaction },
  );
}

/** A deal's timeline, newest first. */
export function dealTimeline(deps: Pick<Deps, "models">, ctx: TenantContext, deal: Deal) {
  return deps.models.DealEvent.findAll({
    where: tenantWhere(ctx, deps.models.DealEvent, { dealId: deal.id }),
    include: [{ model: deps.models.User, as: "actor", attributes: ["id", "name"] }],
    order: [["id", "DESC"]],
  });
}
