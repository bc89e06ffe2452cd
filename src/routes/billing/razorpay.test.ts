import { createHmac } from "node:crypto";
import request from "supertest";
import { postCallback, startCheckout, useBillingApp } from "../../../test/support/billing";
import { ownerSignedIn } from "../../../test/support/customers";
import { listInvoices } from "../../commands/invoices";

/**
 * Issue 13 item 2 and Reliability: Razorpay orders, Checkout's callback and the webhooks against
 * the stand-in, through the app's own routes.
 */
describe("razorpay payments", () => {
  const env = useBillingApp();

  async function paymentRow(id: number) {
    const row = await env.t.deps.models.Payment.findByPk(id);
    if (!row) throw new Error(`no payment ${id}`);
    return row;
  }

  it("creates the order on the server and shows Checkout with its host allowed on that page only", async () => {
    const { agent, business } = await ownerSignedIn(env.t, "free");
    const id = await startCheckout(agent, "silver", "month");
    const payment = await paymentRow(id);
    expect(payment).toMatchObject({
      businessId: business.id,
      status: "created",
      planCode: "silver",
      listMinor: 99900,
      creditMinor: 0,
      taxableMinor: 99900,
      taxMinor: 17982,
      amountMinor: 117882,
    });
    expect(env.rz.orders.get(payment.orderId)).toMatchObject({ amount: 117882, currency: "INR" });
    const page = await agent.get(`/billing/pay/${id}`).expect(200);
    expect(page.text).toContain(`data-order-id="${payment.orderId}"`);
    expect(page.text).toContain(`<script src="${env.rz.url}/v1/checkout.js" defer></script>`);
    expect(page.headers["content-security-policy"]).toContain(`script-src 'self' ${env.rz.url}`);
    const billing = await agent.get("/billing").expect(200);
    expect(billing.headers["content-security-policy"]).toContain("script-src 'self';");
    expect(billing.headers["content-security-policy"]).not.toContain(env.rz.url);
  });

  it("applies the same payment reported three ways once, with one invoice", async () => {
    const { agent, owner, business } = await ownerSignedIn(env.t, "free");
    const id = await startCheckout(agent, "gold", "month");
    const { orderId } = await paymentRow(id);
    const { paymentId, signature } = await env.rz.pay(orderId);

    const callback = await postCallback(env.t, id, {
      razorpay_payment_id: paymentId,
      razorpay_order_id: orderId,
      razorpay_signature: signature,
    }).expect(303);
    expect(callback.headers.location).toBe(`/billing?payment=${id}`);
    const [captured, paid] = [
      env.rz.eventsOf("payment.captured")[0]!,
      env.rz.eventsOf("order.paid")[0]!,
    ];
    expect(await env.rz.deliver(captured)).toBe(200);
    expect(await env.rz.deliver(captured)).toBe(200); // Razorpay's retry: same event id
    expect(await env.rz.deliver(paid)).toBe(200);

    const after = await paymentRow(id);
    expect(after.status).toBe("captured");
    expect(after.paymentId).toBe(paymentId);
    expect(after.invoiceRequestedAt).not.toBeNull();
    await owner.reload();
    expect(owner.planCode).toBe("gold");
    const sub = await env.t.deps.models.Subscription.findOne({ where: { userId: owner.id } });
    expect(sub).toMatchObject({ status: "active", planCode: "gold", billingInterval: "month" });
    const seen = await env.t.deps.models.RazorpayEvent.findAll({
      where: { eventId: [captured.eventId, paid.eventId] },
      order: [["id", "ASC"]],
    });
    expect(seen.map((e) => e.outcome)).toEqual(["already_applied", "already_applied"]);
    const invoices = await listInvoices(env.t.deps, business.id);
    expect(invoices.filter((i) => i.kind === "invoice" && i.paymentRef === paymentId)).toHaveLength(
      1,
    );

    // On Gold, the pricing page offers Enterprise as an upgrade and the cheaper plans as
    // downgrades (at the period's end, or now after reading what that means).
    const pricing = await agent.get("/pricing").expect(200);
    expect(pricing.text).toContain('data-upgrade="enterprise"');
    expect(pricing.text).toContain('data-downgrade="silver"');
    expect(pricing.text).toContain("Switch to Silver now");
    expect(pricing.text).not.toContain('data-upgrade="gold"');

    const billing = await agent.get(`/billing?payment=${id}`).expect(200);
    expect(billing.text).toContain("data-paid");
    expect(billing.text).toMatch(/Gold <span[^>]*data-status>Active/);
    expect(billing.text).toContain("₹2,948.82");
  });

  it("upgrades when payment.failed is followed by payment.captured, and not the other way round", async () => {
    const { agent, owner } = await ownerSignedIn(env.t, "free");
    const id = await startCheckout(agent, "silver", "year");
    const { orderId } = await paymentRow(id);
    await env.rz.fail(orderId);
    const failure = env.rz.events.at(-1)!;
    expect(await env.rz.deliver(failure)).toBe(200);
    expect((await paymentRow(id)).status).toBe("failed");
    expect((await paymentRow(id)).failureReason).toBe("Your card was declined.");
    const page = await agent.get(`/billing/pay/${id}`).expect(200);
    expect(page.text).toContain("Your card was declined.");

    await env.rz.pay(orderId);
    expect(await env.rz.deliver(env.rz.eventsOf("payment.captured").at(-1)!)).toBe(200);
    expect((await paymentRow(id)).status).toBe("captured");
    // The failure again, late: the capture stands.
    const late = { ...failure, eventId: `${failure.eventId}x` };
    expect(await env.rz.deliver(late)).toBe(200);
    expect((await paymentRow(id)).status).toBe("captured");
    await owner.reload();
    expect(owner.planCode).toBe("silver");
  });

  it("answers a missing or wrong webhook signature with 400 and applies nothing", async () => {
    const { agent, owner } = await ownerSignedIn(env.t, "free");
    const id = await startCheckout(agent, "silver");
    const { orderId } = await paymentRow(id);
    await env.rz.pay(orderId);
    const captured = env.rz.eventsOf("payment.captured").at(-1)!;
    expect(await env.rz.deliver(captured, { signature: null })).toBe(400);
    expect(await env.rz.deliver(captured, { signature: "ab".repeat(32) })).toBe(400);
    const tampered = await request(env.t.app)
      .post("/webhooks/razorpay")
      .set("content-type", "application/json")
      .set("x-razorpay-signature", captured.signature)
      .send(captured.body.replace('"amount":', '"amount":1'));
    expect(tampered.status).toBe(400);
    expect(tampered.body.error).toBe("bad_request");
    expect((await paymentRow(id)).status).toBe("created");
    expect(
      await env.t.deps.models.RazorpayEvent.count({ where: { eventId: captured.eventId } }),
    ).toBe(0);
    await owner.reload();
    expect(owner.planCode).toBe("free");
  });

  it("verifies the callback's signature against the stored order id", async () => {
    const { agent, owner } = await ownerSignedIn(env.t, "free");
    const first = await startCheckout(agent, "gold");
    const second = await startCheckout(agent, "silver");
    const other = await paymentRow(second);
    // A genuine payment of the cheaper order, posted to the dearer order's callback.
    const { paymentId, signature } = await env.rz.pay(other.orderId);
    await postCallback(env.t, first, {
      razorpay_payment_id: paymentId,
      razorpay_order_id: other.orderId,
      razorpay_signature: signature,
    }).expect(400);
    expect((await paymentRow(first)).status).toBe("created");
    // Failure fields that do not name this payment's order change nothing; the payer is sent back.
    const failed = await postCallback(env.t, first, {
      "error[code]": "BAD_REQUEST_ERROR",
      "error[description]": "Payment cancelled.",
      "error[metadata]": JSON.stringify({ order_id: other.orderId }),
    }).expect(303);
    expect(failed.headers.location).toBe(`/billing/pay/${first}?failed=1`);
    expect((await paymentRow(first)).status).toBe("created");
    const page = await agent.get(failed.headers.location as string).expect(200);
    expect(page.text).toContain("The payment did not go through.");
    expect(page.text).not.toContain("Payment cancelled.");
    await owner.reload();
    expect(owner.planCode).toBe("free");
  });

  it("records Checkout's failure on the attempt, offers a retry, and a later success on the order still upgrades", async () => {
    const { agent, owner } = await ownerSignedIn(env.t, "free");
    const id = await startCheckout(agent, "gold");
    const { orderId } = await paymentRow(id);
    const failed = await postCallback(env.t, id, {
      "error[code]": "BAD_REQUEST_ERROR",
      "error[description]": "Your card was declined by the bank.",
      "error[source]": "bank",
      "error[step]": "payment_authorization",
      "error[reason]": "payment_failed",
      "error[metadata]": JSON.stringify({ payment_id: "pay_x1", order_id: orderId }),
    }).expect(303);
    expect(await paymentRow(id)).toMatchObject({
      status: "failed",
      failureReason: "Your card was declined by the bank. (payment failed)",
    });
    const page = await agent.get(failed.headers.location as string).expect(200);
    expect(page.text).toContain("Your card was declined by the bank. (payment failed)");
    expect(page.text).toMatch(/data-checkout[^>]*>Try again: pay ₹2,948.82</);
    const billing = await agent.get("/billing").expect(200);
    expect(billing.text).toContain(`<a href="/billing/pay/${id}">Try again</a>`);

    const { paymentId, signature } = await env.rz.pay(orderId);
    const paid = await postCallback(env.t, id, {
      razorpay_payment_id: paymentId,
      razorpay_order_id: orderId,
      razorpay_signature: signature,
    }).expect(303);
    expect(paid.headers.location).toBe(`/billing?payment=${id}`);
    expect(await paymentRow(id)).toMatchObject({ status: "captured", failureReason: null });
    await owner.reload();
    expect(owner.planCode).toBe("gold");
    // The failure posted again, late: the capture stands.
    await postCallback(env.t, id, {
      "error[description]": "Your card was declined by the bank.",
      "error[metadata]": JSON.stringify({ order_id: orderId }),
    }).expect(303);
    expect((await paymentRow(id)).status).toBe("captured");
  });

  it("records a refund once and requests one credit note for it", async () => {
    const { agent, business } = await ownerSignedIn(env.t, "free");
    const id = await startCheckout(agent, "silver");
    const { orderId } = await paymentRow(id);
    const { paymentId } = await env.rz.pay(orderId);
    await env.rz.deliver(env.rz.eventsOf("payment.captured").at(-1)!);
    await env.rz.refund(paymentId, 117882);
    const refund = env.rz.eventsOf("refund.processed").at(-1)!;
    expect(await env.rz.deliver(refund)).toBe(200);
    // The same refund in another event (Razorpay may send refund.processed again under a new id).
    expect(await env.rz.deliver({ ...refund, eventId: `${refund.eventId}b` })).toBe(200);
    expect(
      await env.t.deps.models.PaymentRefund.count({ where: { businessId: business.id } }),
    ).toBe(1);
    expect((await paymentRow(id)).refundedMinor).toBe(117882);
    const notes = (await listInvoices(env.t.deps, business.id)).filter(
      (i) => i.kind === "credit_note",
    );
    expect(notes).toHaveLength(1);
  });

  it("acknowledges subscription events without applying anything (renewal is by orders)", async () => {
    const body = JSON.stringify({
      entity: "event",
      event: "subscription.charged",
      contains: ["subscription"],
      payload: { subscription: { entity: { id: "sub_1" } } },
    });
    const res = await request(env.t.app)
      .post("/webhooks/razorpay")
      .set("content-type", "application/json")
      .set(
        "x-razorpay-signature",
        createHmac("sha256", env.rz.webhookSecret).update(body).digest("hex"),
      )
      .send(body)
      .expect(200);
    expect(res.body.data).toEqual({ outcome: "ignored" });
  });
});
