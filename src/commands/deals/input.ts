import type { Deps } from "../../deps";
import { AppError, isAppError } from "../../errors";
import type { Pipeline, PipelineStage } from "../../models";
import { can } from "../../policies/permissions";
import { ownerFor } from "../../policies/customers";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { isCurrency } from "./money";

/** Every field a person sets on a deal; pages and the API hand the commands this shape. */
export interface DealFields {
  title: string;
  customerId: number | null;
  amountMinor: number;
  currency: string;
  /** YYYY-MM-DD or null. */
  expectedCloseOn: string | null;
  ownerId: number | null;
  stageId: number;
  reason: string | null;
}

/** A new deal: a title; the stage defaults to the first of the (default) pipeline. */
export type NewDeal = Partial<DealFields> & { title: string; pipelineId?: number };
export type DealChanges = Partial<DealFields>;

export const dealMessages = {
  customerUnknown: "Choose a customer of this business.",
  ownerNotMember: "Choose a member of this business who works on deals.",
  stageUnknown: "Choose a stage of this deal's pipeline.",
  pipelineUnknown: "Choose a pipeline of this business.",
  currency: "Enter a currency as its three-letter ISO 4217 code (INR, USD, EUR…).",
};

/** The currency of a new deal: the business's own when it has one, else INR. */
export function defaultCurrency(ctx: TenantContext): string {
  const code = (ctx.business.currency ?? "").toUpperCase();
  return isCurrency(code) ? code : "INR";
}

export function checkCurrency(code: string): string {
  const upper = code.toUpperCase();
  if (!isCurrency(upper)) throw AppError.validation({ currency: dealMessages.currency });
  return upper;
}

/** A customer of the current business (a field error otherwise); unchanged links are kept. */
export async function checkDealCustomer(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  wanted: number | null,
  current?: number | null,
): Promise<number | null> {
  if (wanted === null) return null;
  if (current !== undefined && wanted === current) return wanted;
  try {
    return (await findInBusiness(ctx, deps.models.Customer, wanted, { wholeBusiness: true })).id;
  } catch (error) {
    if (isAppError(error) && error.id === "not_found")
      throw AppError.validation({ customerId: dealMessages.customerUnknown });
    throw error;
  }
}

/**
 * The owner to store, by the customers' one owner rule (policies/customers.ts ownerFor): members
 * who may assign owners give a deal to any member who works deals; sales own what they create and
 * cannot hand a deal to someone else (403).
 */
export async function checkDealOwner(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  target: "new" | number | null,
  wanted: number | null | undefined,
): Promise<number | null> {
  const owner = ownerFor(ctx, target, wanted);
  if (owner === null || owner === target) return owner;
  const member = await deps.models.Membership.findOne({
    where: tenantWhere(ctx, deps.models.Membership, { userId: owner }),
  });
  if (!member || !can(member.role, "deals.manage"))
    throw AppError.validation({ ownerId: dealMessages.ownerNotMember });
  return owner;
}

/** The stage `stageId` of `pipeline` (a field error when it belongs elsewhere). */
export function stageOf(stages: PipelineStage[], stageId: number | undefined): PipelineStage {
  const stage = stageId === undefined ? stages[0] : stages.find((s) => s.id === stageId);
  if (!stage) throw AppError.validation({ stageId: dealMessages.stageUnknown });
  return stage;
}

export async function checkPipeline(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  pipelineId: number,
): Promise<Pipeline> {
  try {
    return await findInBusiness(ctx, deps.models.Pipeline, pipelineId);
  } catch (error) {
    if (isAppError(error) && error.id === "not_found")
      throw AppError.validation({ pipelineId: dealMessages.pipelineUnknown });
    throw error;
  }
}
