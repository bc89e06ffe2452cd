import { z } from "zod";
import { recordId } from "../../http/params";

export { billingDetailsSchema } from "../../commands/invoices/details";

/** /billing/invoices/:invoiceId.pdf */
export const invoicePdfParams = z.object({ invoiceId: recordId });
