import { routes, type Endpoint } from "../../http/endpoint";
import { showGrant, grant, renderGrantFailure } from "./admin";
import {
  cancel,
  choosePlan,
  downloadAccountInvoice,
  loadPayment,
  resume,
  showBilling,
  showPay,
} from "./pages";
import { checkoutCallback, receiveRazorpayWebhook, verifyRazorpaySignature } from "./razorpay";
import {
  accountInvoiceParams,
  billingQuery,
  callbackSchema,
  cancelSchema,
  grantSchema,
  paymentParams,
  payQuery,
  planChoiceSchema,
} from "./schema";

const page = routes({ auth: "page" });
const publicEndpoint = routes({ auth: "public" });
const webhook = routes({ auth: "webhook" });
const back = () => "/billing";

/**
 * Billing (issue 13): the owner's /billing page and plan changes (billing.manage: the plan belongs
 * to the owner's account), the payment page, Checkout's callback and Razorpay's webhooks, and the
 * platform admin's grant for servers without payments.
 */
export const billingEndpoints: Endpoint[] = [
  page.get("/billing", "billing.manage", { query: billingQuery, handler: showBilling }),
  page.post("/billing/checkout", "billing.manage", {
    body: planChoiceSchema,
    form: { back, shows: ["validation_failed", "conflict", "service_unavailable"] },
    handler: choosePlan,
  }),
  page.post("/billing/cancel", "billing.manage", {
    body: cancelSchema,
    form: { back, shows: ["validation_failed", "conflict"] },
    handler: cancel,
  }),
  page.post("/billing/resume", "billing.manage", {
    form: { back, shows: ["conflict"] },
    handler: resume,
  }),
  page.get("/billing/pay/:paymentId", "billing.manage", {
    params: paymentParams,
    load: loadPayment,
    query: payQuery,
    handler: showPay,
  }),
  page.get("/billing/account/:businessId/invoices/:invoiceId.pdf", "billing.manage", {
    params: accountInvoiceParams,
    handler: downloadAccountInvoice,
  }),
  publicEndpoint.post("/billing/razorpay/callback/:paymentId", "anyone", {
    params: paymentParams,
    body: callbackSchema,
    handler: checkoutCallback,
  }),
  webhook.post("/webhooks/razorpay", "anyone", {
    verify: verifyRazorpaySignature,
    enabledWhen: (config) => Boolean(config.RAZORPAY_WEBHOOK_SECRET),
    handler: receiveRazorpayWebhook,
  }),
  page.get("/admin/billing", "platform-admin", { handler: showGrant }),
  page.post("/admin/billing/grant", "platform-admin", {
    body: grantSchema,
    form: { render: renderGrantFailure, shows: ["validation_failed"] },
    handler: grant,
  }),
];
