import request from "supertest";
import { postCallback, startCheckout, useBillingApp } from "../../../test/support/billing";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../../../test/factories";
import { pdfText } from "../../../test/factoriesInvoices";
import { renderInvoiceJob } from "../../commands/invoices/render";
import type { Business } from "../../models";
import { loadTenantContext } from "../../tenancy/loader";

/**
 * Issue 13: the plan, its payments and invoices belong to the account, which may own several
 * businesses; /billing shows the same from each of them, naming the business each was paid from.
 */
describe("billing of an account with several businesses", () => {
  const env = useBillingApp();

  it("lists the account's payments and invoices from every business, and opens them from any", async () => {
    const owner = await buildUser(env.t.deps.models, { planCode: "free" });
    const shop = (await buildBusiness(env.t.deps.models, { owner, name: "Rao Sweets" })).business;
    const cafe = (await buildBusiness(env.t.deps.models, { owner, name: "Rao Cafe" })).business;
    const stranger = await buildUser(env.t.deps.models, { planCode: "gold" });
    await buildBusiness(env.t.deps.models, { owner: stranger });
    const agent = request.agent(env.t.app);
    await signIn(agent, owner.email, defaultPassword);
    const switchTo = async (business: Business) => {
      const csrf = csrfFrom(await agent.get("/businesses").expect(200));
      await agent.post(`/businesses/${business.id}/switch`).type("form").send({ _csrf: csrf });
    };

    // Paid from the shop.
    await switchTo(shop);
    const paid = await startCheckout(agent, "gold");
    const row = await env.t.deps.models.Payment.findByPk(paid);
    const { paymentId, signature } = await env.rz.pay(row!.orderId);
    await postCallback(env.t, paid, {
      razorpay_payment_id: paymentId,
      razorpay_order_id: row!.orderId,
      razorpay_signature: signature,
    }).expect(303);
    const invoice = await env.t.deps.models.Invoice.findOne({ where: { businessId: shop.id } });
    const system = await loadTenantContext(env.t.deps, { businessId: shop.id, userId: null });
    await renderInvoiceJob(env.t.deps, system!, invoice!.id);
    // Started from the cafe, not paid yet.
    await switchTo(cafe);
    const open = await startCheckout(agent, "enterprise", "year");

    const fromCafe = await agent.get("/billing").expect(200);
    expect(fromCafe.text).toMatch(/Gold <span[^>]*data-status>Active/);
    expect(fromCafe.text).toContain("this page shows the same plan, payments and invoices");
    expect(fromCafe.text).toMatch(new RegExp(`data-payment="${paid}"[\\s\\S]*?from Rao Sweets`));
    expect(fromCafe.text).toMatch(new RegExp(`data-payment="${open}"[\\s\\S]*?from Rao Cafe`));
    const accountPdf = `/billing/account/${shop.id}/invoices/${invoice!.id}.pdf`;
    expect(fromCafe.text).toContain(`href="${accountPdf}"`);
    expect(fromCafe.text).toMatch(/data-invoice-business>Rao Sweets/);
    const pdf = await agent.get(accountPdf).buffer(true).expect(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(await pdfText(pdf.body as Buffer)).toContain(invoice!.number);

    await switchTo(shop);
    const fromShop = await agent.get("/billing").expect(200);
    expect(fromShop.text).toContain(`data-payment="${open}"`);
    expect(fromShop.text).toContain(`href="/billing/invoices/${invoice!.id}.pdf"`);
    // The cafe's open order can be paid from the shop too.
    await agent.get(`/billing/pay/${open}`).expect(200);

    // Another account's payments and invoices stay out of reach.
    const other = request.agent(env.t.app);
    await signIn(other, stranger.email, defaultPassword);
    expect((await other.get(`/billing/pay/${open}`)).status).toBe(404);
    expect((await other.get(accountPdf)).status).toBe(404);
    expect((await other.get("/billing")).text).not.toContain(`data-payment="${paid}"`);
  });
});
