import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { buildBusiness, buildCustomer, buildMember } from "../../../test/factories";
import type { Business, User } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { contextFor as loadContext } from "../../../test/support/deps";
import {
  ExportAborted,
  exportColumns,
  exportCustomers,
  exportFileName,
  neutralise,
  type ExportFormat,
} from "./export";
import { customerColumns } from "./writes";

/** The context a request of `user` in `business` would carry. */
const contextFor = (t: TestApp, business: Business, user: User) =>
  loadContext(t.deps, business, user);

/** Everything written to a stream, once it ends. */
function collect(stream: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

async function exportTo(t: TestApp, ctx: TenantContext, format: ExportFormat, filter = {}) {
  const out = new PassThrough();
  const body = collect(out);
  const count = await exportCustomers(t.deps, ctx, filter, format, out);
  return { count, body: await body };
}

function csvRecords(body: Buffer): Record<string, string>[] {
  return parse(body, { bom: true, columns: true }) as Record<string, string>[];
}

/** Inserts `n` customers in one statement: enough rows to cross batch boundaries, quickly. */
async function insertCustomers(t: TestApp, business: Business, n: number, prefix: string) {
  const rows = Array.from({ length: n }, (_, i) => ({
    businessId: business.id,
    ownerId: business.ownerId,
    ...customerColumns({
      name: `${prefix} ${String(i).padStart(5, "0")}`,
      email: null,
      phoneE164: `+9197${String(i).padStart(8, "0")}`,
      whatsappE164: `+9197${String(i).padStart(8, "0")}`,
      tags: [],
      consentAt: null,
      birthDate: null,
      anniversary: null,
      ownerId: business.ownerId,
    }),
  }));
  await t.deps.models.Customer.bulkCreate(rows);
}

describe("customer export", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("neutralises text that a spreadsheet would run as a formula, but not plain E.164 phones", () => {
    expect(neutralise("name", '=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    expect(neutralise("name", "+1+cmd|' /C calc'!A0")).toBe("'+1+cmd|' /C calc'!A0");
    expect(neutralise("tags", "-vip,regular")).toBe("'-vip,regular");
    expect(neutralise("email", "@sum(1)")).toBe("'@sum(1)");
    expect(neutralise("name", "\tTab")).toBe("'\tTab");
    expect(neutralise("name", "\rReturn")).toBe("'\rReturn");
    expect(neutralise("name", "Asha = Verma")).toBe("Asha = Verma");
    expect(neutralise("phoneE164", "+919876543210")).toBe("+919876543210");
    expect(neutralise("whatsappE164", "+447700900123")).toBe("+447700900123");
    // Only a number is exempt: anything else in a phone column is treated like any text.
    expect(neutralise("phoneE164", "+91=1+1")).toBe("'+91=1+1");
  });

  it("writes every filtered customer in id order across batches, as CSV and as XLSX", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    await insertCustomers(t, business, 2345, "Bulk");
    await buildCustomer(t.deps.models, business, { name: "Other Person" });
    const ctx = await contextFor(t, business, owner);

    const csv = await exportTo(t, ctx, "csv", { q: "bulk" });
    expect(csv.count).toBe(2345);
    const records = csvRecords(csv.body);
    expect(Object.keys(records[0]!)).toEqual([...exportColumns]);
    expect(records.map((r) => r.name)).toEqual(
      Array.from({ length: 2345 }, (_, i) => `Bulk ${String(i).padStart(5, "0")}`),
    );
    expect(records[17]).toMatchObject({
      phoneE164: "+919700000017",
      whatsappE164: "+919700000017",
    });
    expect(records[17]!.ownerEmail).toBe(owner.email);

    const xlsx = await exportTo(t, ctx, "xlsx", { q: "bulk" });
    expect(xlsx.count).toBe(2345);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Customers")!;
    expect(sheet.rowCount).toBe(2346);
    expect(sheet.getRow(2346).getCell(1).value).toBe("Bulk 02344");
  });

  it("writes only the header for a filter matching nothing", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const ctx = await contextFor(t, business, owner);
    const csv = await exportTo(t, ctx, "csv", { q: "nobody" });
    expect(csv.count).toBe(0);
    expect(csv.body.toString("utf8")).toBe(`\uFEFF${exportColumns.join(",")}\n`);
    const xlsx = await exportTo(t, ctx, "xlsx", { q: "nobody" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect(workbook.getWorksheet("Customers")!.getRow(1).values).toEqual([
      undefined,
      ...exportColumns,
    ]);
  });

  it("stops reading when the client goes away", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    await insertCustomers(t, business, 3000, "Slow");
    const ctx = await contextFor(t, business, owner);
    for (const format of ["csv", "xlsx"] as const) {
      // A client that reads nothing, then hangs up: the export waits for it, then gives up.
      const out = new PassThrough({ highWaterMark: 1024 });
      const done = exportCustomers(t.deps, ctx, {}, format, out);
      await new Promise((resolve) => setTimeout(resolve, 200));
      out.destroy();
      await expect(done).rejects.toBeInstanceOf(ExportAborted);
    }
  });

  it("refuses roles without the export permission and names the file by the business's date", async () => {
    const { business } = await buildBusiness(t.deps.models, { timeZone: "Asia/Kolkata" });
    const { user } = await buildMember(t.deps.models, business, "support");
    const ctx = await contextFor(t, business, user);
    const out = new PassThrough();
    await expect(exportCustomers(t.deps, ctx, {}, "csv", out)).rejects.toMatchObject({
      status: 403,
    });
    // 20:00 UTC is already the next day in India.
    expect(exportFileName(ctx, "xlsx", new Date("2026-11-22T20:00:00Z"))).toBe(
      "customers-2026-11-23.xlsx",
    );
  });
});
