import type { UsageRow } from "../../commands/billing/usage";
import { formatInr, listPrice, withGst } from "../../commands/billing/pricing";
import type { InvoiceSummary } from "../../commands/invoices";
import type { Payment, Subscription } from "../../models";
import type { PlanRecord } from "../../plans/plans";

/** Plain objects for the billing and pricing pages: no model reaches a template. */
export function dateIn(timeZone: string) {
  const format = new Intl.DateTimeFormat("en-IN", { dateStyle: "medium", timeZone });
  return (date: Date | null) => (date ? format.format(date) : null);
}

export function presentSubscription(
  sub: Subscription | null,
  plan: PlanRecord,
  plans: PlanRecord[],
  now: Date,
  timeZone: string,
) {
  const day = dateIn(timeZone);
  const nameOf = (code: string | null) => plans.find((p) => p.code === code)?.name ?? code;
  const status = sub?.status ?? "active";
  const end = sub?.periodEnd ?? null;
  const daysLeft = end
    ? Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 86_400_000))
    : null;
  let summary: string;
  if (plan.code === "free") summary = "Free plan: no payment, no end.";
  else if (status === "trialing")
    summary = `Trial of ${plan.name}: ${daysLeft} ${daysLeft === 1 ? "day" : "days"} left (ends ${day(end)}). Choose a plan to keep it.`;
  else if (status === "past_due")
    summary = `Past due: the renewal is unpaid. Pay by ${day(sub?.graceUntil ?? null)} or the account moves to Free.`;
  else if (!sub?.billingInterval)
    summary = end
      ? `${plan.name}, granted until ${day(end)}.`
      : `${plan.name}, granted with no end.`;
  else if (sub.cancelAtPeriodEnd)
    summary = `Cancelled: ${plan.name} runs until ${day(end)}, then Free.`;
  else if (sub.nextPlanCode)
    summary = `${plan.name} until ${day(end)}, then ${nameOf(sub.nextPlanCode)}.`;
  else
    summary = `${plan.name}, billed ${sub.billingInterval === "year" ? "yearly" : "monthly"}; renews on ${day(end)}.`;
  return {
    planName: plan.name,
    planCode: plan.code,
    status,
    statusLabel: {
      trialing: "Trial",
      active: plan.code === "free" ? "Free" : "Active",
      past_due: "Past due",
      expired: "Free",
    }[status],
    summary,
    canResume: Boolean(sub?.cancelAtPeriodEnd || sub?.nextPlanCode),
    canCancel: plan.code !== "free" && !sub?.cancelAtPeriodEnd,
    paying: Boolean(sub?.billingInterval) && (status === "active" || status === "past_due"),
    interval: sub?.billingInterval ?? null,
    renewalPaymentId: sub?.renewalPaymentId ?? null,
  };
}

export function presentUsage(rows: UsageRow[]) {
  return rows.map((row) => ({
    ...row,
    usedText: row.used.toLocaleString("en-IN"),
    limitText: row.limit < 0 ? "Unlimited" : row.limit.toLocaleString("en-IN"),
    unlimited: row.limit < 0,
    tone: row.over ? "danger" : row.percent >= 80 ? "warning" : "success",
  }));
}

const statusLabels = { created: "Waiting", failed: "Failed", captured: "Paid" } as const;

export function presentPayments(
  payments: Payment[],
  plans: PlanRecord[],
  timeZone: string,
  businesses: Array<{ id: number; name: string }> = [],
) {
  const day = dateIn(timeZone);
  // The business a payment was made from, named when the account has more than one.
  const nameOf = (id: number) =>
    businesses.length > 1 ? (businesses.find((b) => b.id === id)?.name ?? null) : null;
  return payments.map((p) => ({
    businessName: nameOf(p.businessId),
    id: p.id,
    date: day(p.capturedAt ?? p.createdAt),
    what: `${plans.find((plan) => plan.code === p.planCode)?.name ?? p.planCode}, ${p.billingInterval === "year" ? "yearly" : "monthly"}${p.purpose === "renewal" ? " (renewal)" : ""}`,
    amount: formatInr(p.amountMinor),
    refunded: p.refundedMinor > 0 ? formatInr(p.refundedMinor) : null,
    status: statusLabels[p.status],
    paid: p.status === "captured",
    open: p.status !== "captured",
    failureReason: p.status === "failed" ? p.failureReason : null,
    reference: p.paymentId ?? p.orderId,
  }));
}

export function presentInvoices(
  invoices: Array<InvoiceSummary & { businessName?: string }>,
  nameBusinesses = false,
) {
  return invoices.map((i) => ({
    ...i,
    businessName: nameBusinesses ? (i.businessName ?? null) : null,
    label: i.kind === "credit_note" ? "Credit note" : "Invoice",
    total: formatInr(i.totalMinor),
    ready: i.pdfStatus === "ready" && i.pdfPath !== null,
  }));
}

/** A plan's prices for both intervals, GST shown apart and included. */
export function presentPrices(plan: PlanRecord) {
  const of = (interval: "month" | "year") => {
    const price = withGst(listPrice(plan, interval));
    return {
      interval,
      base: formatInr(price.taxableMinor),
      gst: formatInr(price.taxMinor),
      total: formatInr(price.totalMinor),
    };
  };
  return { free: plan.priceMinor === 0, month: of("month"), year: of("year") };
}
