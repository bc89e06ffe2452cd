import { usingMysql } from "../../../test/support/config";
import { postCallback, startCheckout, useBillingApp } from "../../../test/support/billing";
import { ownerSignedIn } from "../../../test/support/customers";
import { listInvoices } from "../../commands/invoices";

/**
 * Reliability (issue 13): payments reported at the same moment — several accounts paying at once,
 * each payment reported three ways in parallel (callback, payment.captured, order.paid) — are
 * each applied once, never conflict, and each gets one invoice with its own number. Meant for
 * MariaDB (row locks, parallel connections); runs on SQLite too.
 */
describe("payments at once", () => {
  const env = useBillingApp();

  // Four accounts (twelve racing reports) on MariaDB; two on SQLite, whose single writer and
  // sleeping busy-waits on libuv's four threads stall beyond that (see db/connection.ts).
  const plans = usingMysql() ? ["silver", "gold", "enterprise", "gold"] : ["silver", "gold"];

  it("apply each payment once however many reports race, and never share an invoice number", async () => {
    const accounts = await Promise.all(
      plans.map(async (plan) => {
        const signed = await ownerSignedIn(env.t, "free");
        const id = await startCheckout(signed.agent, plan);
        const payment = await env.t.deps.models.Payment.findByPk(id);
        return { ...signed, plan, id, orderId: payment!.orderId };
      }),
    );
    const paid = await Promise.all(accounts.map((a) => env.rz.pay(a.orderId)));
    const reports = accounts.flatMap((account, i) => {
      const { paymentId, signature } = paid[i]!;
      const events = env.rz.events.filter((e) => e.body.includes(account.orderId));
      return [
        postCallback(env.t, account.id, {
          razorpay_payment_id: paymentId,
          razorpay_order_id: account.orderId,
          razorpay_signature: signature,
        }).then((res) => res.status),
        ...events.map((event) => env.rz.deliver(event)),
      ];
    });
    const statuses = await Promise.all(reports);
    expect(statuses.filter((s) => s !== 200 && s !== 303)).toEqual([]);
    expect(statuses).toHaveLength(accounts.length * 3);

    const numbers: string[] = [];
    for (const [i, account] of accounts.entries()) {
      const payment = await env.t.deps.models.Payment.findByPk(account.id);
      expect(payment).toMatchObject({ status: "captured", paymentId: paid[i]!.paymentId });
      await account.owner.reload();
      expect(account.owner.planCode).toBe(account.plan);
      const invoices = await listInvoices(env.t.deps, account.business.id);
      expect(invoices.filter((inv) => inv.kind === "invoice")).toHaveLength(1);
      numbers.push(invoices[0]!.number);
    }
    expect(new Set(numbers).size).toBe(accounts.length);
  });
});
