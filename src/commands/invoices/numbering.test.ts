import { useTestDatabase } from "../../../test/support/database";
import { testDeps } from "../../../test/support/deps";
import { buildBusiness } from "../../../test/factories";
import { lastSerial } from "../../../test/factoriesInvoices";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import { requestInvoice } from "./index";
import { issueInvoice } from "./issue";
import { financialYearOf, formatInvoiceNumber, istDate } from "./numbering";

const db = useTestDatabase();

/**
 * Invoice numbers (Rule 46(b)): gapless and unique per series and financial year. The platform's
 * numbers run across businesses and other test files issue invoices too, so each test here works
 * in a financial year of its own (its fake clock's) where numbers start at 1.
 */
describe("invoice numbering", () => {
  let deps: Deps;

  const line = (amountMinor: number, description = "Gold plan, one month") => ({
    description,
    amountMinor,
  });
  const counter = (series: string, financialYear: string) =>
    db.current.models.InvoiceCounter.findOne({ where: { series, financialYear } });
  const invoicesOf = (businessId: number) =>
    db.current.models.Invoice.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(() => {
    // Jobs are queued in a queue nobody works: these tests look at the database.
    deps = testDeps(db.current, { clock: new FakeClock("2042-06-01T06:00:00Z") });
  });
  afterAll(() => deps.queue.close());

  it("formats numbers within 16 characters of letters, digits and '/'", () => {
    expect(formatInvoiceNumber("INV", "2627", 1)).toBe("INV/2627/000001");
    expect(formatInvoiceNumber("CN", "2627", 42)).toBe("CN/2627/000042");
    expect(formatInvoiceNumber("INV", "2627", 9_999_999)).toBe("INV/2627/9999999");
    expect(formatInvoiceNumber("INV", "2627", 9_999_999)).toHaveLength(16);
    expect(() => formatInvoiceNumber("INV", "2627", 10_000_000)).toThrow(/series is full/);
  });

  it("places the financial year by Indian time: 1 April starts at 18:30 UTC on 31 March", () => {
    expect(financialYearOf(new Date("2027-03-31T18:29:59.999Z")).code).toBe("2627");
    expect(financialYearOf(new Date("2027-03-31T18:30:00.000Z")).code).toBe("2728");
    expect(financialYearOf(new Date("2027-03-31T18:30:00.000Z")).label).toBe("2027-28");
    expect(istDate(new Date("2027-03-31T18:30:00.000Z"))).toBe("2027-04-01");
    expect(financialYearOf(new Date("2100-01-15T00:00:00Z")).code).toBe("9900");
  });

  it("rolls the series over on 1 April IST, with the issuing clock's date", async () => {
    const boundary = new FakeClock("2043-03-31T18:29:59.000Z");
    const at = testDeps(db.current, { queue: deps.queue, clock: boundary });
    const { business: shop } = await buildBusiness(db.current.models);
    const [lastMarch, lastApril] = [
      await lastSerial(db.current.models, "INV", "4243"),
      await lastSerial(db.current.models, "INV", "4344"),
    ];
    const march = await issueInvoice(at, {
      businessId: shop.id,
      paymentRef: "pay_fy_march",
      kind: "invoice",
      lines: [line(10_000)],
    });
    await boundary.advance(1000);
    const april = await issueInvoice(at, {
      businessId: shop.id,
      paymentRef: "pay_fy_april",
      kind: "invoice",
      lines: [line(10_000)],
    });
    expect([march.number, march.issuedOn]).toEqual([
      formatInvoiceNumber("INV", "4243", lastMarch + 1),
      "2043-03-31",
    ]);
    expect([april.number, april.issuedOn]).toEqual([
      formatInvoiceNumber("INV", "4344", lastApril + 1),
      "2043-04-01",
    ]);
    expect(april.number).toMatch(/^INV\/4344\/\d{6}$/);
  });

  it("numbers concurrent invoices 1..N of the year without gaps or repeats", async () => {
    const year = new FakeClock("2044-05-01T06:00:00Z");
    const at = testDeps(db.current, { queue: deps.queue, clock: year });
    const shops = await Promise.all([1, 2, 3, 4].map(() => buildBusiness(db.current.models)));
    const last = await lastSerial(db.current.models, "INV", "4445");
    // Twenty payments captured at once (four businesses), through the billing area's entry point.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        requestInvoice(at, {
          businessId: shops[i % 4]!.business.id,
          paymentRef: `pay_parallel_${i}`,
          kind: "invoice",
          lines: [line(50_000 + i)],
        }),
      ),
    );
    const issued = await db.current.models.Invoice.findAll({
      where: { businessId: shops.map((shop) => shop.business.id) },
    });
    expect(issued).toHaveLength(20);
    const serials = issued.map((invoice) => invoice.serial).sort((a, b) => a - b);
    expect(serials).toEqual(Array.from({ length: 20 }, (_, i) => last + i + 1));
    expect(new Set(issued.map((invoice) => invoice.number)).size).toBe(20);
    expect((await counter("INV", "4445"))?.lastNumber).toBe(last + 20);
  });

  it("issues one invoice per payment however often and however concurrently it is asked", async () => {
    const year = new FakeClock("2045-05-01T06:00:00Z");
    const at = testDeps(db.current, { queue: deps.queue, clock: year });
    const { business: shop } = await buildBusiness(db.current.models);
    const last = await lastSerial(db.current.models, "INV", "4546");
    const request = {
      businessId: shop.id,
      paymentRef: "pay_same_payment",
      kind: "invoice" as const,
      lines: [line(99_900)],
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => issueInvoice(at, request)));
    await requestInvoice(at, request);
    expect(new Set(results.map((invoice) => invoice.id)).size).toBe(1);
    expect((await invoicesOf(shop.id)).map((invoice) => invoice.number)).toEqual([
      formatInvoiceNumber("INV", "4546", last + 1),
    ]);
    // The losers' serials were given back: the next payment takes the next number.
    const next = await issueInvoice(at, { ...request, paymentRef: "pay_next_payment" });
    expect(next.number).toBe(formatInvoiceNumber("INV", "4546", last + 2));
  });
});
