import { routes, type Endpoint } from "../../http/endpoint";
import { downloadPdf, renderDetailsFailure, saveDetails, showDetails, showInvoices } from "./pages";
import { billingDetailsSchema, invoicePdfParams } from "./schema";

const page = routes({ auth: "page" });

/**
 * GST invoices (src/commands/invoices): the billing details form (legal name, address, GSTIN,
 * state), the invoice list and each PDF. Owners only (billing.manage), on every plan: a business
 * on Free still gets the invoices of what it paid before.
 */
export const invoiceEndpoints: Endpoint[] = [
  page.get("/billing/details", "billing.manage", { handler: showDetails }),
  page.post("/billing/details", "billing.manage", {
    body: billingDetailsSchema,
    form: { render: renderDetailsFailure, shows: ["validation_failed"] },
    handler: saveDetails,
  }),
  page.get("/billing/invoices", "billing.manage", { handler: showInvoices }),
  page.get("/billing/invoices/:invoiceId.pdf", "billing.manage", {
    params: invoicePdfParams,
    handler: downloadPdf,
  }),
];
