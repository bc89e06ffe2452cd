import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Invoice, Payment } from "../../models";
import { listInvoices, type InvoiceSummary } from "../invoices";
import { invoicePdfFor } from "../invoices/details";
import { loadTenantContext } from "../../tenancy/loader";
import { authorize, type TenantContext } from "../../tenancy/context";
import { acrossBusinesses } from "../../tenancy/scope";

/**
 * The plan belongs to the account (the owner), which may own several businesses: its payments
 * and invoices are the account's, listed the same from any of them. Each payment and invoice still
 * names the business it was paid from (whose billing details the invoice carries).
 */

export interface AccountBusiness {
  id: number;
  name: string;
}

/** The businesses the owner of the current business owns, oldest first. */
export async function accountBusinesses(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<AccountBusiness[]> {
  const rows = await deps.models.Business.findAll({
    where: { ownerId: ctx.business.ownerId },
    attributes: ["id", "name"],
    order: [["id", "ASC"]],
  });
  return rows.map((b) => ({ id: b.id, name: b.name }));
}

/** The account's latest payments, from every business it owns. */
export async function accountPayments(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  limit = 50,
): Promise<Payment[]> {
  authorize(ctx, "billing.manage");
  return deps.models.Payment.findAll({
    where: acrossBusinesses("the plan and its payments belong to the owner's account", {
      userId: ctx.business.ownerId,
    }),
    order: [["id", "DESC"]],
    limit,
  });
}

/** One payment of the account (from whichever of its businesses), or 404. */
export async function accountPayment(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  paymentId: number,
): Promise<Payment> {
  authorize(ctx, "billing.manage");
  const payment = await deps.models.Payment.findOne({
    where: acrossBusinesses("a payment of the owner's account, from any business it owns", {
      id: paymentId,
      userId: ctx.business.ownerId,
    }),
  });
  if (!payment) throw AppError.notFound();
  return payment;
}

export interface AccountInvoice extends InvoiceSummary {
  businessId: number;
  businessName: string;
}

/** The path of an invoice's PDF from the billing page of any business of the account. */
export function accountInvoicePdfPath(businessId: number, invoiceId: number): string {
  return `/billing/account/${businessId}/invoices/${invoiceId}.pdf`;
}

/** Invoices and credit notes of every business of the account, newest first. */
export async function accountInvoices(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  businesses: AccountBusiness[],
): Promise<AccountInvoice[]> {
  authorize(ctx, "billing.manage");
  const all: AccountInvoice[] = [];
  for (const business of businesses)
    for (const invoice of await listInvoices(deps, business.id))
      all.push({
        ...invoice,
        businessId: business.id,
        businessName: business.name,
        pdfPath:
          invoice.pdfPath === null || business.id === ctx.business.id
            ? invoice.pdfPath
            : accountInvoicePdfPath(business.id, invoice.id),
      });
  return all.sort((a, b) => b.id - a.id);
}

/**
 * The PDF of an invoice of another business of the account: read in that business's context, as
 * the signed-in owner (a member there) — the invoices area's own check, not a second copy of it.
 */
export async function accountInvoicePdf(
  deps: Parameters<typeof loadTenantContext>[0] & Pick<Deps, "models">,
  ctx: TenantContext,
  businessId: number,
  invoiceId: number,
): Promise<{ invoice: Invoice; content: Buffer }> {
  authorize(ctx, "billing.manage");
  const owned = await deps.models.Business.count({
    where: { id: businessId, ownerId: ctx.business.ownerId },
  });
  const there = owned ? await loadTenantContext(deps, { businessId, userId: ctx.user.id }) : null;
  if (!there) throw AppError.notFound();
  return invoicePdfFor(deps, there, invoiceId);
}
