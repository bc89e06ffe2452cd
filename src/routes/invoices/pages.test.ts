import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { waitForMail } from "../../../test/support/outbox";
import { buildMember } from "../../../test/factories";
import { lastSerial, pdfText } from "../../../test/factoriesInvoices";
import { requestInvoice } from "../../commands/invoices";
import { formatInvoiceNumber } from "../../commands/invoices/numbering";
import { issueInvoice } from "../../commands/invoices/issue";
import { queueDispatcher } from "../../jobs/dispatcher";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import { FakeClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Business, Invoice, User } from "../../models";

// Invoices are dated by this clock (financial year 2046-47): their numbers start at 1.
const clock = new FakeClock("2046-07-15T06:00:00Z");

/** Parses a binary response body into a Buffer (supertest leaves PDFs as text otherwise). */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("end", () => done(null, Buffer.concat(chunks)));
}

describe("invoice pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: ReturnType<typeof request.agent>;

  const detailsOf = (businessId: number) =>
    t.deps.models.BillingDetails.findOne({ where: { businessId } });

  /** Waits until the app's worker has rendered the invoice's PDF. */
  async function rendered(businessId: number, paymentRef: string): Promise<Invoice> {
    for (let i = 0; i < 200; i += 1) {
      const invoice = await t.deps.models.Invoice.findOne({ where: { businessId, paymentRef } });
      if (invoice?.pdfStatus === "ready") return invoice;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the PDF of ${paymentRef} was not rendered`);
  }

  async function postDetails(fields: Record<string, string>, status: number) {
    const form = await agent.get("/billing/details").expect(200);
    return agent
      .post("/billing/details")
      .type("form")
      .send({ _csrf: csrfFrom(form), ...fields })
      .expect(status);
  }

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "gold"));
  });
  afterAll(() => t.close());

  it("says what to do when there are no invoices yet", async () => {
    const page = await agent.get("/billing/invoices").expect(200);
    expect(page.text).toContain("No invoices yet.");
    expect(page.text).toContain('href="/billing/details"');
  });

  it("refuses a GSTIN whose check character is wrong, keeping what was typed", async () => {
    const res = await postDetails(
      {
        legalName: "Shah Traders Pvt Ltd",
        address: "12 Linking Road, Mumbai 400050",
        gstin: "27AAPFU0939F1ZW",
        stateCode: "",
      },
      422,
    );
    expect(res.text).toContain("does not match the rest");
    expect(res.text).toContain('value="27AAPFU0939F1ZW"');
    expect(res.text).toContain("12 Linking Road, Mumbai 400050");
    expect(await detailsOf(business.id)).toBeNull();
  });

  it("asks for the state without a GSTIN, and points out a state that is not the GSTIN's", async () => {
    const noState = await postDetails(
      {
        legalName: "Shah Traders",
        address: "12 Linking Road, Mumbai",
        gstin: "",
        stateCode: "",
      },
      422,
    );
    expect(noState.text).toContain("Choose your state");
    const mismatch = await postDetails(
      {
        legalName: "Shah Traders",
        address: "12 Linking Road, Mumbai",
        gstin: "27AAPFU0939F1ZV",
        stateCode: "29",
      },
      422,
    );
    expect(mismatch.text).toContain("This GSTIN is registered in Maharashtra (27)");
    const empty = await postDetails(
      {
        legalName: "",
        address: "",
        gstin: "",
        stateCode: "",
      },
      422,
    );
    expect(empty.text).toContain("Enter the name invoices are made out to.");
    expect(empty.text).toContain("Enter the billing address");
    expect(await detailsOf(business.id)).toBeNull();
  });

  it("saves the details with the GSTIN's state, and shows them again", async () => {
    const res = await postDetails(
      {
        legalName: "Shah Traders Pvt Ltd",
        address: "12 Linking Road, Bandra West, Mumbai 400050",
        gstin: " 27aapfu0939f1zv ",
        stateCode: "",
      },
      302,
    );
    expect(res.headers.location).toBe("/billing/invoices");
    expect(await detailsOf(business.id)).toMatchObject({
      legalName: "Shah Traders Pvt Ltd",
      gstin: "27AAPFU0939F1ZV",
      stateCode: "27",
    });
    const form = await agent.get("/billing/details").expect(200);
    expect(form.text).toContain('value="27AAPFU0939F1ZV"');
    // Saving again updates the one row.
    await postDetails(
      {
        legalName: "Shah Traders Private Limited",
        address: "12 Linking Road, Bandra West, Mumbai 400050",
        gstin: "27AAPFU0939F1ZV",
        stateCode: "27",
      },
      302,
    );
    expect(await t.deps.models.BillingDetails.count({ where: { businessId: business.id } })).toBe(
      1,
    );
  });

  it("issues, renders, e-mails and serves the invoice PDF with its number, GSTINs, IGST and total", async () => {
    const number = formatInvoiceNumber(
      "INV",
      "4647",
      (await lastSerial(t.deps.models, "INV", "4647")) + 1,
    );
    await requestInvoice(t.deps, {
      businessId: business.id,
      paymentRef: "pay_pages_1",
      kind: "invoice",
      lines: [{ description: "Gold plan, monthly", sac: "998314", amountMinor: 99_900 }],
    });
    const invoice = await rendered(business.id, "pay_pages_1");
    expect(invoice.number).toBe(number);

    const list = await agent.get("/billing/invoices").expect(200);
    expect(list.text).toContain(number);
    expect(list.text).toContain("₹1,178.82");
    expect(list.text).toContain(`href="/billing/invoices/${invoice.id}.pdf"`);
    expect(list.text).toContain("Shah Traders Private Limited");

    const pdf = await agent
      .get(`/billing/invoices/${invoice.id}.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(pdf.headers["content-type"]).toMatch(/^application\/pdf/);
    expect(pdf.headers["content-disposition"]).toContain(`${number.replace(/\//g, "-")}.pdf`);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain("Tax Invoice");
    expect(text).toContain(number);
    expect(text).toContain(`GSTIN: ${t.deps.config.INVOICE_SUPPLIER_GSTIN}`);
    expect(text).toContain("GSTIN: 27AAPFU0939F1ZV");
    expect(text).toContain("Shah Traders Private Limited");
    expect(text).toContain("Place of supply: Maharashtra (27)");
    expect(text).toContain("IGST @ 18% 179.82");
    expect(text).not.toContain("CGST @");
    expect(text).toContain("Total (INR) 1,178.82");
    expect(text).toContain("998314");

    const mail = await waitForMail(owner.email, { template: "invoice-issued" });
    expect(mail.subject).toContain(number);
    expect(mail.text).toContain("₹1,178.82");
    expect(mail.text).toContain(`/billing/invoices/${invoice.id}.pdf`);
  });

  it("renders a credit note with CGST and SGST against its invoice", async () => {
    const { business: local, agent: localAgent } = await ownerSignedIn(t, "gold");
    await requestInvoice(t.deps, {
      businessId: local.id,
      paymentRef: "pay_local",
      kind: "invoice",
      lines: [{ description: "Enterprise plan, yearly", amountMinor: 49_990_000 }],
      buyer: { name: "Bengaluru Books LLP", address: "MG Road", gstin: "29AAGCB7383J1Z4" },
    });
    const original = await rendered(local.id, "pay_local");
    const creditNumber = formatInvoiceNumber(
      "CN",
      "4647",
      (await lastSerial(t.deps.models, "CN", "4647")) + 1,
    );
    await requestInvoice(t.deps, {
      businessId: local.id,
      paymentRef: "rfnd_local",
      kind: "credit_note",
      creditFor: "pay_local",
      lines: [],
    });
    const note = await rendered(local.id, "rfnd_local");
    expect(note.number).toBe(creditNumber);
    const pdf = await localAgent
      .get(`/billing/invoices/${note.id}.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain("Credit Note");
    expect(text).toContain(creditNumber);
    expect(text).toContain(`Against invoice: ${original.number}`);
    expect(text).toContain("CGST @ 9% 44,991.00");
    expect(text).toContain("SGST @ 9% 44,991.00");
    expect(text).toContain("Total credited (INR) 5,89,882.00");
    const list = await localAgent.get("/billing/invoices").expect(200);
    expect(list.text).toContain(`against ${original.number}`);
  });

  it("serves a PDF only to the owner of its business, and says when it is not ready", async () => {
    const invoice = await rendered(business.id, "pay_pages_1");
    const { agent: stranger } = await ownerSignedIn(t, "gold");
    await stranger.get(`/billing/invoices/${invoice.id}.pdf`).expect(404);

    const { user: admin } = await buildMember(t.deps.models, business, "admin");
    const adminAgent = await signedIn(t, admin.email);
    await adminAgent.get(`/billing/invoices/${invoice.id}.pdf`).expect(403);
    await adminAgent.get("/billing/details").expect(403);

    await request(t.app).get(`/billing/invoices/${invoice.id}.pdf`).expect(302);
    await agent.get("/billing/invoices/abc.pdf").expect(404);

    // A PDF not rendered yet (its job waits on a queue nobody works): a clear answer, not an
    // empty file.
    const idleQueue = new InProcessQueue(createLogger("silent"), clock);
    const pending = await issueInvoice(
      { ...t.deps, jobs: queueDispatcher(idleQueue) },
      {
        businessId: business.id,
        paymentRef: "pay_pending_pdf",
        kind: "invoice",
        lines: [{ description: "Gold plan, monthly", amountMinor: 99_900 }],
      },
    );
    await idleQueue.close();
    const res = await agent.get(`/billing/invoices/${pending.id}.pdf`).expect(409);
    expect(res.text).toContain("still being prepared");
  });
});
