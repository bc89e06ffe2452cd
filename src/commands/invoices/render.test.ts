import { readFile } from "node:fs/promises";
import path from "node:path";
import { useTestDatabase } from "../../../test/support/database";
import { systemContextFor, testDeps } from "../../../test/support/deps";
import { testOutboxDir } from "../../../test/support/outbox";
import { buildBusiness, buildUser } from "../../../test/factories";
import { lastSerial, pdfText } from "../../../test/factoriesInvoices";
import type { Deps } from "../../deps";
import type { JobName } from "../../jobs/catalog";
import type { EnqueueOptions, JobSpec } from "../../jobs/queue";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import { FakeClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { OutgoingMail } from "../../integrations/mail/types";
import { listOutbox } from "../../integrations/mail/outbox";
import { issueInvoice } from "./issue";
import { formatInvoiceNumber } from "./numbering";
import { renderInvoicePdf } from "./pdf";
import { invoicePdfStep, renderInvoiceJob } from "./render";

const db = useTestDatabase();

/** Every job asked for, with its id: what the render step queued, and under which id. */
class RecordingQueue extends InProcessQueue {
  readonly enqueued: Array<{ name: string; payload: unknown; jobId?: string }> = [];

  override async enqueue(spec: JobSpec, payload: unknown, options?: EnqueueOptions) {
    this.enqueued.push({ name: spec.name, payload, jobId: options?.jobId });
    return super.enqueue(spec, payload, options);
  }
}

describe("invoice PDF job", () => {
  // Financial year 2047-48 for this file's numbers.
  const clock = new FakeClock("2047-09-10T04:00:00Z");
  let queue: RecordingQueue;
  let deps: Deps;

  const named = (name: JobName) => queue.enqueued.filter((job) => job.name === name);

  beforeAll(() => {
    // Nobody works this queue: the test runs the job itself, as a worker (or its retry) would.
    queue = new RecordingQueue(createLogger("silent"), clock);
    deps = testDeps(db.current, { queue, clock });
  });
  afterAll(() => queue.close());

  it("leaves no gap and no duplicate when the worker dies while rendering: the retry finishes once", async () => {
    const owner = await buildUser(db.current.models, { name: "Asha Rao" });
    const { business } = await buildBusiness(db.current.models, { owner, name: "Rao Traders" });
    const last = await lastSerial(db.current.models, "INV", "4748");
    const number = formatInvoiceNumber("INV", "4748", last + 1);
    const invoice = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_killed_worker",
      kind: "invoice",
      lines: [{ description: "Gold plan, monthly", amountMinor: 99_900 }],
    });
    // The number is fixed when the row is written; the render job is only queued.
    expect(invoice).toMatchObject({ number, pdfStatus: "pending" });
    expect(named("render-invoice").map((job) => job.jobId)).toEqual([`invoice-pdf-${invoice.id}`]);

    // A worker killed mid-render leaves exactly this state: the reconciler queues the job again
    // under the same id, and the retries (here two at once, then one more) render it.
    const context = { ...deps, now: clock.now() };
    expect(await invoicePdfStep.run(context)).toBeGreaterThanOrEqual(1);
    const ctx = await systemContextFor(db.current, business);
    await Promise.all([
      renderInvoiceJob(deps, ctx, invoice.id),
      renderInvoiceJob(deps, ctx, invoice.id),
    ]);
    await renderInvoiceJob(deps, ctx, invoice.id);

    const { Invoice, InvoicePdf, InvoiceCounter } = db.current.models;
    expect(await InvoicePdf.count({ where: { invoiceId: invoice.id } })).toBe(1);
    const after = await Invoice.findByPk(invoice.id);
    expect(after).toMatchObject({ number, pdfStatus: "ready" });
    expect(after?.mailedAt).toEqual(clock.now());
    expect(
      (await InvoiceCounter.findOne({ where: { series: "INV", financialYear: "4748" } }))
        ?.lastNumber,
    ).toBe(last + 1);
    // Asked for again by the payment's webhook: the same invoice, no new number.
    const again = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_killed_worker",
      kind: "invoice",
      lines: [{ description: "Gold plan, monthly", amountMinor: 99_900 }],
    });
    expect(again.id).toBe(invoice.id);

    // One e-mail job to the owner, whatever the retries: its id is the invoice's.
    const mails = named("send-mail");
    expect(new Set(mails.map((job) => job.jobId))).toEqual(new Set([`invoice-mail-${invoice.id}`]));
    const mail = mails[0]!.payload as OutgoingMail;
    expect(mail).toMatchObject({ to: owner.email, template: "invoice-issued" });
    expect(mail.attachments?.map((file) => [file.filename, file.contentType])).toEqual([
      [`${number.replace(/\//g, "-")}.pdf`, "application/pdf"],
    ]);
    const attached = Buffer.from(mail.attachments![0]!.contentBase64, "base64");
    const text = await pdfText(attached);
    expect(text).toContain(number);
    expect(text).toContain("Rao Traders");
    expect(text).toContain("CGST @ 9% 89.91");
    expect(text).toContain("SGST @ 9% 89.91");
    expect(text).toContain("Total (INR) 1,178.82");

    // Nothing is owed any more: the reconciler leaves it alone.
    const owedIds = (await Invoice.findAll({ where: { pdfStatus: "pending" } })).map((i) => i.id);
    expect(owedIds).not.toContain(invoice.id);
  });

  it("renders the same text again from the stored row (deterministic)", async () => {
    const { business } = await buildBusiness(db.current.models, { name: "Repeat Traders" });
    const invoice = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_repeat",
      kind: "invoice",
      lines: [{ description: "Silver plan", amountMinor: 49_900 }],
    });
    const first = await renderInvoicePdf(invoice, { creditFor: null });
    const second = await renderInvoicePdf(invoice, { creditFor: null });
    expect(await pdfText(first)).toEqual(await pdfText(second));
  });

  it("sends the e-mail through the mailer with the PDF attached", async () => {
    const owner = await buildUser(db.current.models, { name: "Meera Iyer" });
    const { business } = await buildBusiness(db.current.models, { owner, name: "Iyer Stores" });
    const invoice = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_mailed",
      kind: "invoice",
      lines: [{ description: "Gold plan", amountMinor: 99_900 }],
    });
    await renderInvoiceJob(deps, await systemContextFor(db.current, business), invoice.id);
    const job = named("send-mail").find((entry) => entry.jobId === `invoice-mail-${invoice.id}`);
    await deps.mailer.send(job!.payload as OutgoingMail);
    const [entry] = (await listOutbox(testOutboxDir, { since: new Date(0) })).filter(
      (e) => e.to === owner.email,
    );
    expect(entry?.subject).toContain(invoice.number);
    const source = await readFile(path.join(testOutboxDir, `${entry!.id}.eml`), "utf8");
    expect(source).toMatch(/Content-Type: application\/pdf; name=INV-4748-\d{6}\.pdf/);
    expect(source).toContain("Content-Disposition: attachment");
  });
});
