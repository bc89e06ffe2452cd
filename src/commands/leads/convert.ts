import { Op, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError, isAppError } from "../../errors";
import type { Customer, Deal, Lead } from "../../models";
import { presentLead } from "../../presenters/leads";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { publishEvent } from "../../webhooks/publish";
import { createCustomer } from "../customers/writes";
import { insertDeal } from "../deals/deals";
import {
  checkCurrency,
  checkDealOwner,
  checkPipeline,
  defaultCurrency,
  stageOf,
} from "../deals/input";
import { ensureDefaultPipeline, pipelineStages } from "../deals/pipelines";
import { recordEvents } from "../customers/timeline";
import { queueRescore } from "./rescore";

/** What the conversion form (and a caller) chooses for the deal. */
export interface ConversionInput {
  title: string;
  amountMinor: number;
  currency?: string;
  /** The business's default pipeline when absent. */
  pipelineId?: number;
  /** The pipeline's first stage when absent. */
  stageId?: number;
}

export interface Conversion {
  customer: Customer;
  deal: Deal;
  /** True when an existing customer matched the lead's phone or e-mail (none was created). */
  matched: boolean;
}

export const conversionMessages = {
  already: "This lead was already converted; open its customer and deal instead.",
  noPhone:
    "A customer needs a phone number and no customer matches this lead's e-mail: add the lead's phone number first, then convert.",
};

const fullName = (lead: Pick<Lead, "firstName" | "lastName">) =>
  [lead.firstName, lead.lastName].filter(Boolean).join(" ");

/** A customer of the business with the lead's phone, else its e-mail (whoever owns it). */
async function matchingCustomer(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  lead: Lead,
  transaction?: Transaction,
): Promise<Customer | null> {
  for (const [column, value] of [
    ["phoneE164", lead.phoneE164],
    ["email", lead.email?.toLowerCase() ?? null],
  ] as const) {
    if (!value) continue;
    const found = await deps.models.Customer.findOne({
      where: tenantWhere(ctx, deps.models.Customer, { [column]: value }, { wholeBusiness: true }),
      order: [["id", "ASC"]],
      transaction,
    });
    if (found) return found;
  }
  return null;
}

/** The deal's owner: the lead's owner when they work deals, otherwise whoever converts. */
async function dealOwner(deps: Deps, ctx: TenantContext, lead: Lead): Promise<number | null> {
  try {
    return await checkDealOwner(deps, ctx, "new", lead.ownerId ?? undefined);
  } catch (error) {
    if (isAppError(error) && (error.id === "validation_failed" || error.id === "forbidden"))
      return checkDealOwner(deps, ctx, "new", undefined);
    throw error;
  }
}

/**
 * Converts a lead into a customer (the business's customer with the lead's phone, else e-mail;
 * otherwise a new one) and a deal, in ONE transaction: the lead is claimed first (its stage set to
 * Converted only while it has no deal), so two conversions of one lead never both succeed; any
 * failure after that rolls everything back — no customer, no deal, the lead as it was.
 * Writes the lead's "converted" entry, the customer's timeline entry and lead.converted.
 */
export async function convertLead(
  deps: Deps,
  ctx: TenantContext,
  lead: Lead,
  input: ConversionInput,
): Promise<Conversion> {
  authorize(ctx, "leads.manage");
  authorize(ctx, "customers.manage");
  authorize(ctx, "deals.manage");
  if (lead.dealId || lead.customerId || lead.stage === "converted")
    throw new AppError("conflict", conversionMessages.already, {
      customerId: lead.customerId,
      dealId: lead.dealId,
    });
  const title = input.title.trim();
  if (!title || title.length > 200)
    throw AppError.validation({ title: "Enter the deal's title (up to 200 characters)." });
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 0)
    throw AppError.validation({ amount: "Enter the amount as a number of 0 or more." });
  // Everything that may write or only reads settled rows happens before the transaction (SQLite
  // has one writer: the default pipeline must not be created from inside it).
  const pipeline =
    input.pipelineId === undefined
      ? await ensureDefaultPipeline(deps, ctx.business.id)
      : await checkPipeline(deps, ctx, input.pipelineId);
  const stage = stageOf(await pipelineStages(deps, ctx, pipeline.id), input.stageId);
  const currency = input.currency ? checkCurrency(input.currency) : defaultCurrency(ctx);
  const ownerId = await dealOwner(deps, ctx, lead);
  if (!lead.phoneE164 && !(await matchingCustomer(deps, ctx, lead)))
    throw AppError.validation({ phone: conversionMessages.noPhone });

  const now = deps.clock.now();
  const actorId = ctx.system ? null : ctx.user.id;
  const result = await deps.sequelize.transaction(async (transaction) => {
    const [claimed] = await deps.models.Lead.update(
      { stage: "converted", updatedAt: now },
      {
        where: tenantWhere(ctx, deps.models.Lead, {
          id: lead.id,
          dealId: null,
          stage: { [Op.ne]: "converted" },
        }),
        transaction,
      },
    );
    if (claimed !== 1) throw new AppError("conflict", conversionMessages.already);
    const existing = await matchingCustomer(deps, ctx, lead, transaction);
    const customer =
      existing ??
      (await createCustomer(
        deps,
        ctx,
        {
          name: fullName(lead),
          email: lead.email,
          phoneE164: lead.phoneE164!,
          whatsappE164: lead.phoneE164!,
          tags: [],
          consentAt: lead.consentWhatsappAt ?? lead.consentEmailAt,
          birthDate: null,
          anniversary: null,
          ownerId: lead.ownerId ?? actorId,
        },
        transaction,
      ));
    const deal = await insertDeal(
      deps,
      ctx,
      {
        title,
        amountMinor: input.amountMinor,
        pipelineId: pipeline.id,
        stage,
        customerId: customer.id,
        ownerId,
        currency,
        leadId: lead.id,
      },
      transaction,
    );
    await deps.models.Lead.update(
      { customerId: customer.id, dealId: deal.id },
      { where: tenantWhere(ctx, deps.models.Lead, { id: lead.id }), transaction },
    );
    const facts = { customerId: customer.id, dealId: deal.id, matched: existing !== null };
    await deps.models.LeadEvent.bulkCreate(
      [
        {
          businessId: ctx.business.id,
          leadId: lead.id,
          actorId,
          kind: "stage_changed",
          details: JSON.stringify({ from: lead.stage, to: "converted" }),
          createdAt: now,
        },
        {
          businessId: ctx.business.id,
          leadId: lead.id,
          actorId,
          kind: "converted",
          details: JSON.stringify({ ...facts, dealTitle: title }),
          createdAt: now,
        },
      ],
      { transaction },
    );
    await recordEvents(
      deps,
      ctx,
      [
        {
          customerId: customer.id,
          kind: "converted_from_lead",
          details: { leadId: lead.id, leadName: fullName(lead), ...facts },
        },
      ],
      transaction,
    );
    const presented = presentLead(lead);
    await publishEvent(
      deps,
      ctx,
      "lead.converted",
      { lead: { ...presented, stage: "converted" }, ...facts },
      { transaction },
    );
    return { customer, deal, matched: existing !== null };
  });
  await lead.reload();
  // The stage and the "converted" entry are what field and engagement rules read.
  await queueRescore(deps, ctx, [lead.id], {
    kinds: ["stage_changed", "converted"],
    fieldsChanged: true,
  });
  return result;
}
