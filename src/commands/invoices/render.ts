import { literal, Op } from "sequelize";
import type { Deps } from "../../deps";
import { enqueueMail } from "../../integrations/mail/enqueue";
import type { ReconcileStep } from "../../jobs/reconciler";
import type { Invoice } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { acrossBusinesses, findInBusiness, tenantWhere } from "../../tenancy/scope";
import { renderInvoicePdf } from "./pdf";
import { formatAmount } from "./tax";

/** The render job of one invoice has one id: queuing it twice runs it once. */
export function invoicePdfJobId(invoice: Pick<Invoice, "id">): string {
  return `invoice-pdf-${invoice.id}`;
}

/** Download address of an invoice's PDF (owners; tenant-scoped). */
export function invoicePdfPath(invoice: Pick<Invoice, "id">): string {
  return `/billing/invoices/${invoice.id}.pdf`;
}

/** INV-2627-000001.pdf: the number with its slashes made safe for a file name. */
export function invoicePdfFilename(invoice: Pick<Invoice, "number">): string {
  return `${invoice.number.replace(/\//g, "-")}.pdf`;
}

/**
 * Queues the render (and e-mail) of an invoice once its row is committed. The queue being away
 * does not undo the invoice: the row says the PDF is owed, and the reconciler queues it again.
 */
export async function dispatchInvoicePdf(
  deps: Pick<Deps, "jobs" | "logger">,
  invoice: Invoice,
): Promise<void> {
  try {
    await deps.jobs.dispatch(
      "render-invoice",
      { businessId: invoice.businessId, userId: null, invoiceId: invoice.id },
      { jobId: invoicePdfJobId(invoice) },
    );
  } catch (error) {
    deps.logger.warn(
      { err: error, invoiceId: invoice.id },
      "invoice PDF not queued now; the reconciler queues it",
    );
  }
}

/**
 * The render-invoice job: renders the PDF if it is not stored yet, stores it (one row per invoice,
 * a second insert is ignored), marks the invoice ready, then e-mails the business's owner once.
 * Every step checks what is already done, so a worker killed at any point and the job retried
 * leaves one PDF and one e-mail, and the invoice's number never changes (it was fixed at issue).
 */
export async function renderInvoiceJob(
  deps: Deps,
  ctx: TenantContext,
  invoiceId: number,
): Promise<void> {
  const { Invoice: model, InvoicePdf } = deps.models;
  const invoice = await findInBusiness(ctx, model, invoiceId, { wholeBusiness: true });
  if (invoice.pdfStatus !== "ready") {
    const stored = await InvoicePdf.count({
      where: tenantWhere(ctx, InvoicePdf, { invoiceId: invoice.id }, { wholeBusiness: true }),
    });
    if (!stored) {
      const content = await renderInvoicePdf(invoice, {
        creditFor: await creditedInvoice(deps, ctx, invoice),
      });
      await InvoicePdf.bulkCreate(
        [
          {
            businessId: invoice.businessId,
            invoiceId: invoice.id,
            content,
            byteSize: content.length,
            createdAt: deps.clock.now(),
          },
        ],
        { ignoreDuplicates: true },
      );
    }
    await model.update(
      { pdfStatus: "ready" },
      { where: tenantWhere(ctx, model, { id: invoice.id }, { wholeBusiness: true }) },
    );
  }
  if (!invoice.mailedAt) await mailInvoice(deps, ctx, invoice);
}

async function creditedInvoice(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  invoice: Invoice,
): Promise<{ number: string; issuedOn: string } | null> {
  if (invoice.creditForId === null) return null;
  const original = await findInBusiness(ctx, deps.models.Invoice, invoice.creditForId, {
    wholeBusiness: true,
    attributes: ["id", "number", "issuedOn"],
  });
  return { number: original.number, issuedOn: original.issuedOn };
}

/**
 * E-mails the document to the business's owner (a link to the PDF and the PDF attached). The
 * mail job has the invoice's id for its own: queued again after a crash, it is sent once.
 */
async function mailInvoice(deps: Deps, ctx: TenantContext, invoice: Invoice): Promise<void> {
  const business = await deps.models.Business.findByPk(ctx.business.id, {
    include: [{ model: deps.models.User, as: "owner", attributes: ["id", "name", "email"] }],
  });
  const owner = business?.owner;
  if (business && owner) {
    const pdf = await deps.models.InvoicePdf.findOne({
      where: tenantWhere(
        ctx,
        deps.models.InvoicePdf,
        { invoiceId: invoice.id },
        { wholeBusiness: true },
      ),
    });
    await sendInvoiceMail(deps, business.name, owner, invoice, pdf?.content ?? null);
  }
  // Marked even when nobody is left to tell, so the reconciler stops asking.
  await deps.models.Invoice.update(
    { mailedAt: deps.clock.now() },
    {
      where: tenantWhere(
        ctx,
        deps.models.Invoice,
        { id: invoice.id, mailedAt: null },
        { wholeBusiness: true },
      ),
    },
  );
}

async function sendInvoiceMail(
  deps: Deps,
  businessName: string,
  owner: { name: string; email: string },
  invoice: Invoice,
  pdf: Buffer | null,
): Promise<void> {
  const isCredit = invoice.kind === "credit_note";
  await enqueueMail(
    deps,
    {
      to: owner.email,
      template: "invoice-issued",
      data: {
        name: owner.name,
        businessName,
        documentName: isCredit ? "credit note" : "invoice",
        number: invoice.number,
        date: invoice.issuedOn,
        total: `₹${formatAmount(invoice.totalMinor)}`,
        supplierName: invoice.supplierName,
        link: new URL(invoicePdfPath(invoice), deps.config.APP_URL).toString(),
      },
      // A few KB: small enough for the job payload.
      ...(pdf
        ? {
            attachments: [
              {
                filename: invoicePdfFilename(invoice),
                contentType: "application/pdf",
                contentBase64: pdf.toString("base64"),
              },
            ],
          }
        : {}),
    },
    { jobId: `invoice-mail-${invoice.id}` },
  );
}

/** Invoices re-queued per pass at most (oldest first); the rest wait for the next pass. */
export const invoiceReconcileBatch = 500;

/**
 * Invoices whose PDF or e-mail is still owed are queued again: a killed worker, a lost Redis or a
 * restart of the in-process queue loses none. The job id is the invoice's, so a job still queued
 * is not added twice.
 */
export const invoicePdfStep: ReconcileStep = {
  name: "invoice-pdfs",
  async run(context) {
    const owed = await context.models.Invoice.findAll({
      where: acrossBusinesses("the reconciler re-queues every business's owed invoice PDFs", {
        [Op.or]: [{ pdfStatus: "pending" }, { mailedAt: null }],
        // Invoices outlive a deleted business (kept for the statutory period); nobody is owed a
        // PDF or an e-mail there any more.
        businessId: { [Op.in]: literal("(SELECT id FROM businesses)") },
      }),
      attributes: ["id", "businessId"],
      order: [["id", "ASC"]],
      limit: invoiceReconcileBatch,
    });
    for (const invoice of owed) {
      await context.jobs.dispatchOwed(
        "render-invoice",
        { businessId: invoice.businessId, userId: null, invoiceId: invoice.id },
        { jobId: invoicePdfJobId(invoice) },
      );
    }
    return owed.length;
  },
};
