import { randomBytes } from "node:crypto";
import { AppError } from "../../errors";
import { createOrder, razorpayKeys } from "../../integrations/razorpay/client";
import type { BillingInterval, Payment, PaymentPurpose } from "../../models";
import type { PlanRecord } from "../../plans/plans";
import { withGst } from "./pricing";
import type { BillingDeps } from "./subscriptions";

export const notConfiguredMessage =
  "Payments are not configured on this server. A platform admin can move your account to a plan by hand.";

export interface OrderRequest {
  userId: number;
  businessId: number;
  purpose: PaymentPurpose;
  plan: PlanRecord;
  interval: BillingInterval;
  listMinor: number;
  creditMinor: number;
}

/**
 * Creates the Razorpay order on the server (the amount is never the browser's to choose) and
 * records it. The receipt is ours and unique (Razorpay does not enforce it): the payments table's
 * unique index does.
 */
export async function createPaymentOrder(deps: BillingDeps, input: OrderRequest): Promise<Payment> {
  const keys = razorpayKeys(deps.config);
  if (!keys) throw new AppError("service_unavailable", notConfiguredMessage);
  const price = withGst(input.listMinor - input.creditMinor);
  const receipt = `b${input.businessId}-${randomBytes(9).toString("base64url")}`;
  const order = await createOrder(keys, {
    amount: price.totalMinor,
    receipt,
    notes: {
      plan: input.plan.code,
      interval: input.interval,
      purpose: input.purpose,
      business: String(input.businessId),
    },
  });
  return deps.models.Payment.create({
    businessId: input.businessId,
    userId: input.userId,
    orderId: order.id,
    receipt,
    purpose: input.purpose,
    planCode: input.plan.code,
    billingInterval: input.interval,
    listMinor: input.listMinor,
    creditMinor: input.creditMinor,
    taxableMinor: price.taxableMinor,
    taxMinor: price.taxMinor,
    amountMinor: price.totalMinor,
    status: "created",
  });
}
