import { UniqueConstraintError } from "sequelize";
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { gstinStateCode, selectableStateCodes, stateLabel } from "../../lib/gstin";
import type { BillingDetails, Invoice } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { gstinField, stateCodeField } from "./input";

/**
 * The billing details form: who invoices are made out to. The GSTIN is optional (unregistered
 * buyers); without it the state is required, as it decides the place of supply. With it, the
 * state is the GSTIN's own (its first two digits), and a different choice is pointed out.
 */
export const billingDetailsSchema = z
  .object({
    legalName: z
      .string()
      .trim()
      .min(1, { error: "Enter the name invoices are made out to." })
      .max(200, { error: "At most 200 characters." }),
    address: z
      .string()
      .trim()
      .min(1, { error: "Enter the billing address, with city, state and PIN code." })
      .max(500, { error: "At most 500 characters." }),
    gstin: gstinField,
    stateCode: stateCodeField,
  })
  .superRefine((value, ctx) => {
    if (!value.gstin && !value.stateCode)
      ctx.addIssue({
        code: "custom",
        path: ["stateCode"],
        message: "Choose your state: without a GSTIN it decides the place of supply.",
      });
    if (value.gstin && value.stateCode && gstinStateCode(value.gstin) !== value.stateCode)
      ctx.addIssue({
        code: "custom",
        path: ["stateCode"],
        message: `This GSTIN is registered in ${stateLabel(gstinStateCode(value.gstin))}: choose that state or leave the state empty.`,
      });
  });

export type BillingDetailsInput = z.output<typeof billingDetailsSchema>;

export async function loadBillingDetails(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<BillingDetails | null> {
  const { BillingDetails: model } = deps.models;
  return model.findOne({ where: tenantWhere(ctx, model, {}, { wholeBusiness: true }) });
}

/** Saves the business's billing details (owners: billing.manage). Later invoices use them. */
export async function saveBillingDetails(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  input: BillingDetailsInput,
): Promise<BillingDetails> {
  authorize(ctx, "billing.manage");
  const values = {
    legalName: input.legalName,
    address: input.address,
    gstin: input.gstin,
    stateCode: input.gstin ? gstinStateCode(input.gstin) : (input.stateCode as string),
  };
  const existing = await loadBillingDetails(deps, ctx);
  if (existing) return existing.update(values);
  try {
    return await deps.models.BillingDetails.create({ businessId: ctx.business.id, ...values });
  } catch (error) {
    // Two first saves at once: the unique index keeps one row, and the later one updates it.
    if (!(error instanceof UniqueConstraintError)) throw error;
    const winner = await loadBillingDetails(deps, ctx);
    if (!winner) throw error;
    return winner.update(values);
  }
}

/** The state choices of the form, the chosen one marked. */
export function stateOptions(chosen: string | null | undefined) {
  return [
    { value: "", label: "Choose a state…", selected: !chosen },
    ...selectableStateCodes
      .map((code) => ({ value: code, label: stateLabel(code), selected: code === chosen }))
      .sort((a, b) => a.label.localeCompare(b.label)),
  ];
}

/** An invoice's stored PDF for download (billing.manage; 404 in another business). */
export async function invoicePdfFor(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  invoiceId: number,
): Promise<{ invoice: Invoice; content: Buffer }> {
  authorize(ctx, "billing.manage");
  const invoice = await findInBusiness(ctx, deps.models.Invoice, invoiceId, {
    wholeBusiness: true,
    attributes: ["id", "businessId", "number", "pdfStatus"],
  });
  const pdf = await deps.models.InvoicePdf.findOne({
    where: tenantWhere(
      ctx,
      deps.models.InvoicePdf,
      { invoiceId: invoice.id },
      { wholeBusiness: true },
    ),
  });
  if (!pdf)
    throw new AppError(
      "conflict",
      `The PDF of ${invoice.number} is still being prepared. Try again in a minute.`,
    );
  return { invoice, content: pdf.content };
}
