import type { Request, Response } from "express";
import { listInvoices } from "../../commands/invoices";
import {
  invoicePdfFor,
  loadBillingDetails,
  saveBillingDetails,
  stateOptions,
} from "../../commands/invoices/details";
import { supplierOf } from "../../commands/invoices/issue";
import { invoicePdfFilename } from "../../commands/invoices/render";
import type { Config } from "../../config";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { stateLabel } from "../../lib/gstin";
import { csrfToken } from "../../middleware/csrf";
import { presentInvoiceList } from "../../presenters/invoices";
import type { billingDetailsSchema, invoicePdfParams } from "./schema";

interface DetailsValues {
  legalName?: string;
  address?: string;
  gstin?: string;
  stateCode?: string;
}

function renderDetails(
  req: Request,
  res: Response,
  config: Config,
  state: { values: DetailsValues; errors?: FieldErrors; status?: number },
) {
  res.status(state.status ?? 200).render("invoices/details", {
    title: "Billing details",
    csrfToken: csrfToken(req),
    values: state.values,
    errors: state.errors ?? {},
    stateOptions: stateOptions(state.values.stateCode),
    supplierState: stateLabel(supplierOf(config).stateCode),
  });
}

/** GET /billing/details */
export async function showDetails({ req, res, deps, ctx }: PageCall) {
  const details = await loadBillingDetails(deps, ctx);
  renderDetails(req, res, deps.config, {
    values: details
      ? {
          legalName: details.legalName,
          address: details.address,
          gstin: details.gstin ?? "",
          stateCode: details.stateCode,
        }
      : { legalName: ctx.business.name },
  });
}

/** The form comes back as typed, each field's error beside it; nothing was saved. */
export function renderDetailsFailure({ req, res, deps }: PageFormCall, failure: FormFailure) {
  const values = failure.values as Record<string, unknown>;
  const text = (key: string) => (typeof values[key] === "string" ? (values[key] as string) : "");
  renderDetails(req, res, deps.config, {
    values: {
      legalName: text("legalName"),
      address: text("address"),
      gstin: text("gstin"),
      stateCode: text("stateCode"),
    },
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /billing/details */
export async function saveDetails({
  deps,
  ctx,
  body,
}: PageCall<{ body: typeof billingDetailsSchema }>) {
  await saveBillingDetails(deps, ctx, body);
  return redirect(
    "/billing/invoices",
    "Billing details saved. Invoices from now on are made out with them.",
  );
}

/** GET /billing/invoices: every invoice and credit note, with the billing details they go to. */
export async function showInvoices({ res, deps, ctx }: PageCall) {
  const details = await loadBillingDetails(deps, ctx);
  res.render("invoices/index", {
    title: "Invoices",
    details: details
      ? { legalName: details.legalName, gstin: details.gstin, state: stateLabel(details.stateCode) }
      : null,
    invoiceList: presentInvoiceList(await listInvoices(deps, ctx.business.id)),
  });
}

/** GET /billing/invoices/:invoiceId.pdf */
export async function downloadPdf({
  res,
  deps,
  ctx,
  params,
}: PageCall<{ params: typeof invoicePdfParams }>) {
  const { invoice, content } = await invoicePdfFor(deps, ctx, params.invoiceId);
  res
    .status(200)
    .type("application/pdf")
    .set("Cache-Control", "private, no-store")
    .attachment(invoicePdfFilename(invoice))
    .send(content);
}
