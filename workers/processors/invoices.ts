import { renderInvoiceJob } from "../../src/commands/invoices/render";
import { defineTenantJob } from "../../src/jobs/define";

/** Invoices: render one invoice's PDF, store it and e-mail it (src/commands/invoices/render.ts). */
export const invoiceJobs = [
  defineTenantJob("render-invoice", (deps, ctx, payload) =>
    renderInvoiceJob(deps, ctx, payload.invoiceId),
  ),
];
