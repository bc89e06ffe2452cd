import { useTestDatabase } from "../../../test/support/database";
import { testDeps } from "../../../test/support/deps";
import { buildBusiness } from "../../../test/factories";
import { buildBillingDetails } from "../../../test/factoriesInvoices";
import { failure } from "../../../test/support/errors";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import type { Business, Invoice } from "../../models";
import { listInvoices } from "./index";
import { issueInvoice } from "./issue";
import { percentOf, taxableFromGross, type TaxedLine } from "./tax";

const db = useTestDatabase();

/**
 * The platform's numbers run across businesses, and other test files issue invoices too: each
 * test here works in a financial year of its own (the fake clock's), so its numbers start at 1.
 */
describe("invoice commands", () => {
  // Placeholder supplier of testConfig: Karnataka (29).
  const clock = new FakeClock("2041-06-01T06:00:00Z");
  let deps: Deps;
  let business: Business;

  const line = (amountMinor: number, description = "Gold plan, one month") => ({
    description,
    amountMinor,
  });
  const counter = (series: string, financialYear: string) =>
    db.current.models.InvoiceCounter.findOne({ where: { series, financialYear } });
  const invoicesOf = (businessId: number) =>
    db.current.models.Invoice.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(async () => {
    // Jobs are queued in a queue nobody works: these tests look at the database.
    deps = testDeps(db.current, { clock });
    ({ business } = await buildBusiness(db.current.models, { name: "Shah Traders" }));
  });
  afterAll(() => deps.queue.close());

  it("charges CGST 9% + SGST 9% when the buyer's GSTIN is in the supplier's state", async () => {
    const invoice = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_intra",
      kind: "invoice",
      lines: [line(99_900)],
      buyer: {
        name: "Bengaluru Books LLP",
        address: "MG Road, Bengaluru",
        gstin: "29AAGCB7383J1Z4",
      },
    });
    expect(invoice).toMatchObject({
      placeOfSupply: "29",
      taxMode: "intra",
      taxableMinor: 99_900,
      cgstMinor: 8991,
      sgstMinor: 8991,
      igstMinor: 0,
      totalMinor: 117_882,
      buyerGstin: "29AAGCB7383J1Z4",
      supplierGstin: deps.config.INVOICE_SUPPLIER_GSTIN,
      currency: "INR",
      pdfStatus: "pending",
    });
  });

  it("charges IGST 18% to another state: by the buyer's GSTIN, or their chosen state without one", async () => {
    const withGstin = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_inter_gstin",
      kind: "invoice",
      lines: [line(99_900)],
      buyer: { name: "Mumbai Mills", address: "Lower Parel, Mumbai", gstin: "27aapfu0939f1zv" },
    });
    expect(withGstin).toMatchObject({
      placeOfSupply: "27",
      taxMode: "inter",
      cgstMinor: 0,
      sgstMinor: 0,
      igstMinor: 17_982,
      totalMinor: 117_882,
      buyerGstin: "27AAPFU0939F1ZV",
    });
    const byState = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_inter_state",
      kind: "invoice",
      lines: [line(99_900)],
      buyer: { name: "Delhi Dhaba", address: "Connaught Place", gstin: "", stateCode: "07" },
    });
    expect(byState).toMatchObject({ placeOfSupply: "07", taxMode: "inter", buyerGstin: null });
  });

  it("takes the buyer from the business's billing details, else its name in the supplier's state", async () => {
    const { business: unregistered } = await buildBusiness(db.current.models, {
      name: "Corner Shop",
    });
    const plain = await issueInvoice(deps, {
      businessId: unregistered.id,
      paymentRef: "pay_no_details",
      kind: "invoice",
      lines: [line(10_000)],
    });
    expect(plain).toMatchObject({
      buyerName: "Corner Shop",
      buyerGstin: null,
      placeOfSupply: "29",
      taxMode: "intra",
    });
    const { business: registered } = await buildBusiness(db.current.models, { name: "Mills" });
    await buildBillingDetails(db.current.models, registered);
    const detailed = await issueInvoice(deps, {
      businessId: registered.id,
      paymentRef: "pay_details",
      kind: "invoice",
      lines: [line(10_000)],
    });
    expect(detailed).toMatchObject({
      buyerName: "Mills Private Limited",
      buyerGstin: "27AAPFU0939F1ZV",
      placeOfSupply: "27",
      taxMode: "inter",
    });
  });

  it("rounds each tax head once per line, half up, and sums the lines", async () => {
    expect(percentOf(99_950, 9)).toBe(8996); // 8995.5
    expect(percentOf(99_950, 18)).toBe(17_991);
    expect(percentOf(3, 9)).toBe(0); // 0.27
    expect(percentOf(3, 18)).toBe(1); // 0.54
    const invoice = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_rounding",
      kind: "invoice",
      lines: [line(99_950, "Gold plan"), line(3, "Rounding probe"), line(50, "Half paisa")],
      buyer: { name: "Bengaluru Books LLP", gstin: "29AAGCB7383J1Z4" },
    });
    const lines = JSON.parse(invoice.lines) as TaxedLine[];
    expect(lines.map((l) => [l.cgstMinor, l.sgstMinor, l.totalMinor])).toEqual([
      [8996, 8996, 117_942],
      [0, 0, 3],
      [5, 5, 60], // 4.5 paise each, rounded up
    ]);
    expect(invoice).toMatchObject({
      taxableMinor: 100_003,
      cgstMinor: 9001,
      sgstMinor: 9001,
      totalMinor: 118_005,
    });
    expect(lines.every((l) => l.sac === deps.config.INVOICE_SAC)).toBe(true);
  });

  it("finds the taxable value inside a tax-inclusive amount", () => {
    for (const gross of [117_882, 118_000, 1, 99, 100_001]) {
      const inter = taxableFromGross(gross, "inter");
      expect(inter + percentOf(inter, 18)).toBeLessThanOrEqual(gross);
      expect(inter + 1 + percentOf(inter + 1, 18)).toBeGreaterThan(gross);
    }
    expect(taxableFromGross(117_882, "intra")).toBe(99_900);
  });

  it("credits a refund with a credit note of its own series that names the invoice", async () => {
    const { business: shop } = await buildBusiness(db.current.models);
    const original = await issueInvoice(deps, {
      businessId: shop.id,
      paymentRef: "pay_to_refund",
      kind: "invoice",
      lines: [line(99_900)],
      buyer: { name: "Mumbai Mills", gstin: "27AAPFU0939F1ZV" },
    });
    const partial = await issueInvoice(deps, {
      businessId: shop.id,
      paymentRef: "rfnd_partial",
      kind: "credit_note",
      creditFor: "pay_to_refund",
      lines: [line(40_000, "Refund of unused days")],
    });
    expect(partial).toMatchObject({
      kind: "credit_note",
      series: "CN",
      creditForId: original.id,
      buyerName: "Mumbai Mills",
      placeOfSupply: "27",
      taxMode: "inter",
      igstMinor: 7200,
      totalMinor: 47_200,
    });
    expect(partial.number).toMatch(/^CN\/4142\/\d{6}$/);

    // More than is left: refused, and no credit-note number is used up.
    const before = (await counter("CN", "4142"))?.lastNumber;
    const tooMuch = await failure(
      issueInvoice(deps, {
        businessId: shop.id,
        paymentRef: "rfnd_too_much",
        kind: "credit_note",
        creditFor: "pay_to_refund",
        lines: [line(60_000)],
      }),
    );
    expect(tooMuch.id).toBe("validation_failed");
    expect((await counter("CN", "4142"))?.lastNumber).toBe(before);

    // No lines: the rest of the invoice.
    const rest = await issueInvoice(deps, {
      businessId: shop.id,
      paymentRef: "rfnd_rest",
      kind: "credit_note",
      creditFor: "pay_to_refund",
      lines: [],
    });
    expect(rest).toMatchObject({ taxableMinor: 59_900, igstMinor: 10_782 });
    expect(rest.serial).toBe(partial.serial + 1);

    // A refund's taxable part a paisa over what is left (rounding): the rest, not an error.
    const { business: other } = await buildBusiness(db.current.models);
    await issueInvoice(deps, {
      businessId: other.id,
      paymentRef: "pay_rounded_refund",
      kind: "invoice",
      lines: [line(99_900)],
    });
    const rounded = await issueInvoice(deps, {
      businessId: other.id,
      paymentRef: "rfnd_rounded",
      kind: "credit_note",
      creditFor: "pay_rounded_refund",
      lines: [line(99_901, "Refund")],
    });
    expect(rounded).toMatchObject({ taxableMinor: 99_900, totalMinor: 117_882 });

    const list = await listInvoices(deps, shop.id);
    expect(list.map((s) => [s.kind, s.creditForNumber])).toEqual([
      ["credit_note", original.number],
      ["credit_note", original.number],
      ["invoice", null],
    ]);
    expect(list[2]).toMatchObject({
      id: original.id,
      number: original.number,
      taxableMinor: 99_900,
      taxMinor: 17_982,
      totalMinor: 117_882,
      pdfStatus: "pending",
      pdfPath: null,
    });
  });

  it("refuses bad requests with every field's problem and writes nothing", async () => {
    const { business: shop } = await buildBusiness(db.current.models);
    const before = (await counter("INV", "4142"))?.lastNumber;
    const cases: Array<[unknown, string]> = [
      [{ businessId: shop.id, paymentRef: "", kind: "invoice", lines: [line(100)] }, "paymentRef"],
      [
        { businessId: shop.id, paymentRef: "pay x", kind: "invoice", lines: [line(100)] },
        "paymentRef",
      ],
      [{ businessId: shop.id, paymentRef: "pay_a", kind: "invoice", lines: [] }, "lines"],
      [
        { businessId: shop.id, paymentRef: "pay_b", kind: "invoice", lines: [line(0)] },
        "lines.0.amountMinor",
      ],
      [
        { businessId: shop.id, paymentRef: "pay_c", kind: "invoice", lines: [line(10.5)] },
        "lines.0.amountMinor",
      ],
      [
        {
          businessId: shop.id,
          paymentRef: "pay_d",
          kind: "invoice",
          lines: [{ description: "x", sac: "99", amountMinor: 1 }],
        },
        "lines.0.sac",
      ],
      [
        {
          businessId: shop.id,
          paymentRef: "pay_e",
          kind: "invoice",
          lines: [line(100)],
          buyer: { name: "X", gstin: "27AAPFU0939F1ZW" },
        },
        "buyer.gstin",
      ],
      [
        {
          businessId: shop.id,
          paymentRef: "pay_f",
          kind: "invoice",
          lines: [line(100)],
          buyer: { name: "X", stateCode: "40" },
        },
        "buyer.stateCode",
      ],
      [
        { businessId: shop.id, paymentRef: "rfnd_g", kind: "credit_note", lines: [line(100)] },
        "creditFor",
      ],
      [
        {
          businessId: shop.id,
          paymentRef: "rfnd_h",
          kind: "credit_note",
          creditFor: "pay_never",
          lines: [line(100)],
        },
        "creditFor",
      ],
    ];
    for (const [input, field] of cases) {
      const error = await failure(issueInvoice(deps, input as never));
      expect({
        field,
        id: error.id,
        has: Object.keys((error.details?.fields ?? {}) as object),
      }).toEqual({ field, id: "validation_failed", has: expect.arrayContaining([field]) });
    }
    expect(await invoicesOf(shop.id)).toEqual([]);
    expect((await counter("INV", "4142"))?.lastNumber).toBe(before);
  });

  it("keeps every business's invoices to itself", async () => {
    const { business: other } = await buildBusiness(db.current.models);
    const mine: Invoice = await issueInvoice(deps, {
      businessId: business.id,
      paymentRef: "pay_shared_ref",
      kind: "invoice",
      lines: [line(100)],
    });
    // The same payment reference in another business is another invoice.
    const theirs = await issueInvoice(deps, {
      businessId: other.id,
      paymentRef: "pay_shared_ref",
      kind: "invoice",
      lines: [line(100)],
    });
    expect(theirs.id).not.toBe(mine.id);
    expect((await listInvoices(deps, other.id)).map((s) => s.id)).toEqual([theirs.id]);
    // A credit note cannot name another business's invoice.
    const { business: third } = await buildBusiness(db.current.models);
    const error = await failure(
      issueInvoice(deps, {
        businessId: third.id,
        paymentRef: "rfnd_cross",
        kind: "credit_note",
        creditFor: "pay_shared_ref",
        lines: [line(100)],
      }),
    );
    expect(error.id).toBe("validation_failed");
  });
});
