import { z } from "zod";
import { idParams, recordId } from "../../http/params";

/** A plan chosen on /pricing or /billing. */
export const planChoiceSchema = z.object({
  plan: z.string().trim().min(1, { error: "Choose a plan." }).max(32),
  interval: z
    .enum(["month", "year"], { error: "Choose monthly or yearly billing." })
    .default("month"),
  when: z.enum(["now", "period_end"]).default("period_end"),
});

export const cancelSchema = z.object({
  when: z.enum(["now", "period_end"]).default("period_end"),
  confirm: z.literal("yes", { error: "Confirm first." }),
});

export const paymentParams = idParams("paymentId");

/** /billing/account/:businessId/invoices/:invoiceId.pdf */
export const accountInvoiceParams = z.object({ businessId: recordId, invoiceId: recordId });

/**
 * What Checkout posts to the callback (redirect mode): the payment and its signature, or on
 * failure Razorpay's error fields (`error[code]`, `error[description]`, …, read flat).
 */
export const callbackSchema = z
  .object({
    razorpay_payment_id: z.string().trim().max(64).optional(),
    razorpay_order_id: z.string().trim().max(64).optional(),
    razorpay_signature: z.string().trim().max(128).optional(),
    "error[code]": z.string().max(100).optional(),
    "error[description]": z.string().max(500).optional(),
    "error[reason]": z.string().max(200).optional(),
    "error[source]": z.string().max(100).optional(),
    "error[step]": z.string().max(100).optional(),
    // JSON: {"payment_id": …, "order_id": …}
    "error[metadata]": z.string().max(500).optional(),
  })
  .loose();

export const payQuery = z.object({
  failed: z.string().max(500).optional(),
});

export const billingQuery = z.object({
  payment: z.coerce.number().int().positive().optional().catch(undefined),
});

/** The platform admin's grant form. */
export const grantSchema = z.object({
  email: z.email({ error: "Enter the account's e-mail address." }).max(254),
  plan: z.string().trim().min(1, { error: "Choose a plan." }).max(32),
  days: z.preprocess(
    (v) => (v === "" || v === undefined ? null : v),
    z.coerce
      .number({ error: "Days must be a whole number." })
      .int({ error: "Days must be a whole number." })
      .min(1, { error: "At least 1 day, or leave empty for no end." })
      .max(3660, { error: "At most 3,660 days." })
      .nullable(),
  ),
});
