import type { z } from "zod";
import { cancelPlan, changePlan, resumePlan } from "../../commands/billing/changes";
import { notConfiguredMessage } from "../../commands/billing/orders";
import { formatInr } from "../../commands/billing/pricing";
import { accountSubscription } from "../../commands/billing/subscriptions";
import { usageOf } from "../../commands/billing/usage";
import {
  accountBusinesses,
  accountInvoicePdf,
  accountInvoices,
  accountPayment,
  accountPayments,
} from "../../commands/billing/account";
import { invoicePdfFilename } from "../../commands/invoices/render";
import { AppError } from "../../errors";
import type { LoadCall, PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { razorpayKeys } from "../../integrations/razorpay/client";
import type { Payment } from "../../models";
import { planCatalogue } from "../../plans/plans";
import type { TenantContext } from "../../tenancy/context";
import {
  presentInvoices,
  presentPayments,
  presentPrices,
  presentSubscription,
  presentUsage,
} from "./present";
import type {
  accountInvoiceParams,
  billingQuery,
  cancelSchema,
  payQuery,
  planChoiceSchema,
} from "./schema";

/** GET /billing: the plan and its state, usage against each limit, payments and invoices. */
export async function showBilling({
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof billingQuery }>) {
  const { models } = deps;
  const plans = await planCatalogue(models);
  const sub = await accountSubscription(deps, ctx.business.ownerId);
  // The account's, from whichever of its businesses (the plan belongs to the account).
  const businesses = await accountBusinesses(deps, ctx);
  const payments = await accountPayments(deps, ctx);
  const just = query.payment ? payments.find((p) => p.id === query.payment) : undefined;
  res.render("billing/index", {
    title: "Billing",
    business: ctx.business.name,
    subscription: presentSubscription(
      sub,
      ctx.plan,
      plans,
      deps.clock.now(),
      ctx.business.timeZone,
    ),
    usage: presentUsage(await usageOf(deps, ctx, ctx.plan)),
    payments: presentPayments(payments, plans, ctx.business.timeZone, businesses),
    invoices: presentInvoices(await accountInvoices(deps, ctx, businesses), businesses.length > 1),
    businessCount: businesses.length,
    severalBusinesses: businesses.length > 1,
    configured: razorpayKeys(deps.config) !== null,
    notConfigured: notConfiguredMessage,
    justPaid: just?.status === "captured",
    justWaiting: just !== undefined && just.status !== "captured",
  });
}

/** POST /billing/checkout: an upgrade goes to the payment page; a downgrade is applied or planned. */
export async function choosePlan({ deps, ctx, body }: PageCall<{ body: typeof planChoiceSchema }>) {
  const result = await changePlan(
    deps,
    { userId: ctx.business.ownerId, businessId: ctx.business.id },
    { planCode: body.plan, interval: body.interval, when: body.when },
  );
  if (result.kind === "checkout") return redirect(`/billing/pay/${result.payment.id}`);
  return redirect("/billing", result.message);
}

export async function cancel({ deps, ctx, body }: PageCall<{ body: typeof cancelSchema }>) {
  const result = await cancelPlan(deps, ctx.business.ownerId, body.when);
  return redirect("/billing", result.message);
}

export async function resume({ deps, ctx }: PageCall) {
  const result = await resumePlan(deps, ctx.business.ownerId);
  return redirect("/billing", result.message);
}

/** The payment the path names, of this account, from any of its businesses (404 otherwise). */
export async function loadPayment({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { paymentId: number }>): Promise<Payment> {
  return accountPayment(deps, ctx, params.paymentId);
}

/** GET /billing/account/:businessId/invoices/:invoiceId.pdf: another business of the account's. */
export async function downloadAccountInvoice({
  res,
  deps,
  ctx,
  params,
}: PageCall<{ params: typeof accountInvoiceParams }>) {
  const { invoice, content } = await accountInvoicePdf(
    deps,
    ctx,
    params.businessId,
    params.invoiceId,
  );
  res
    .status(200)
    .type("application/pdf")
    .set("Cache-Control", "private, no-store")
    .attachment(invoicePdfFilename(invoice))
    .send(content);
}

/**
 * The CSP of the payment page only: Razorpay's Checkout host (from RAZORPAY_CHECKOUT_URL) may
 * run its script and frames there, and the API host its frames; every other page stays 'self'.
 */
function checkoutPolicy(checkoutUrl: string, apiUrl: string): string {
  const hosts = [...new Set([new URL(checkoutUrl).origin, new URL(apiUrl).origin])].join(" ");
  return [
    "default-src 'self'",
    `script-src 'self' ${hosts}`,
    "style-src 'self'",
    `img-src 'self' data: ${hosts}`,
    "font-src 'self'",
    `connect-src 'self' ${hosts}`,
    `frame-src ${hosts}`,
    "object-src 'none'",
    "base-uri 'self'",
    `form-action 'self' ${hosts}`,
    "frame-ancestors 'self'",
  ].join("; ");
}

/** GET /billing/pay/:paymentId: what is being paid, and Checkout. */
export async function showPay({
  res,
  deps,
  ctx,
  record: payment,
  query,
}: PageCall<{ query: typeof payQuery; record: Payment }>) {
  if (payment.status === "captured") return redirect(`/billing?payment=${payment.id}`);
  const keys = razorpayKeys(deps.config);
  if (!keys) throw new AppError("service_unavailable", notConfiguredMessage);
  const plans = await planCatalogue(deps.models);
  const plan = plans.find((p) => p.code === payment.planCode);
  res.set("Content-Security-Policy", checkoutPolicy(keys.checkoutUrl, keys.apiUrl));
  res.render("billing/pay", {
    title: "Pay",
    planName: plan?.name ?? payment.planCode,
    yearly: payment.billingInterval === "year",
    renewal: payment.purpose === "renewal",
    list: formatInr(payment.listMinor),
    credit: payment.creditMinor > 0 ? formatInr(payment.creditMinor) : null,
    taxable: formatInr(payment.taxableMinor),
    tax: formatInr(payment.taxMinor),
    total: formatInr(payment.amountMinor),
    // The reason recorded on the attempt (webhook or Checkout's callback); never text from the URL.
    failed:
      payment.status === "failed"
        ? (payment.failureReason ?? "The payment did not go through.")
        : query.failed
          ? "The payment did not go through."
          : null,
    prices: plan ? presentPrices(plan) : null,
    checkout: {
      script: keys.checkoutUrl,
      key: keys.keyId,
      amount: payment.amountMinor,
      orderId: payment.orderId,
      callbackUrl: `${deps.config.APP_URL.replace(/\/+$/, "")}/billing/razorpay/callback/${payment.id}`,
      business: ctx.business.name,
      email: ctx.user.email,
    },
  });
}

export type PlanChoice = z.output<typeof planChoiceSchema>;
