import request from "supertest";
import { buildTestApp, type TestApp } from "./app";
import type { Agent } from "./customers";
import { csrfFrom } from "./forms";
import { startRazorpayStandIn, type RazorpayStandIn, type SentEvent } from "./razorpayStandIn";

/** Billing tests: the stand-in's webhooks delivered to the app under test through supertest. */
export function deliverThroughApp(t: TestApp, standIn: RazorpayStandIn): void {
  standIn.sender = async (event: SentEvent) => {
    const req = request(t.app)
      .post("/webhooks/razorpay")
      .set("content-type", "application/json")
      .set("x-razorpay-event-id", event.eventId);
    if (event.signature) req.set("x-razorpay-signature", event.signature);
    const res = await req.send(event.body);
    return res.status;
  };
}

/** Chooses a plan on /pricing as the owner would; returns the payment page's payment id. */
export async function startCheckout(
  agent: Agent,
  plan: string,
  interval: "month" | "year" = "month",
): Promise<number> {
  const pricing = await agent.get("/pricing").expect(200);
  const res = await agent
    .post("/billing/checkout")
    .type("form")
    .send({ _csrf: csrfFrom(pricing), plan, interval });
  const match = /^\/billing\/pay\/(\d+)$/.exec(res.headers.location ?? "");
  if (res.status !== 302 || !match)
    throw new Error(`checkout did not start: ${res.status} ${res.headers.location ?? res.text}`);
  return Number(match[1]);
}

/** Checkout's redirect-mode callback, as the payer's browser posts it after paying. */
export function postCallback(
  t: TestApp,
  paymentRowId: number,
  fields: Record<string, string>,
): request.Test {
  return request(t.app)
    .post(`/billing/razorpay/callback/${paymentRowId}`)
    .type("form")
    .send(fields);
}

/**
 * For a describe block of billing tests: the Razorpay stand-in and the app configured for it,
 * the stand-in's webhooks delivered to the app; built before the block's tests, stopped after.
 * Read the fields inside tests.
 */
export function useBillingApp(): { t: TestApp; rz: RazorpayStandIn } {
  const handle = {} as { t: TestApp; rz: RazorpayStandIn };
  beforeAll(async () => {
    handle.rz = await startRazorpayStandIn();
    handle.t = await buildTestApp(handle.rz.config());
    deliverThroughApp(handle.t, handle.rz);
  });
  afterAll(async () => {
    await handle.t?.close();
    await handle.rz?.stop();
  });
  return handle;
}
