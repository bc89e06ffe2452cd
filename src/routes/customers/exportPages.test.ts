import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { signIn } from "../../../test/support/forms";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  defaultPassword,
} from "../../../test/factories";
import { exportColumns } from "../../commands/customers/export";
import type { Business, User } from "../../models";

type Agent = ReturnType<typeof request.agent>;

/** supertest keeps binary bodies as a Buffer only when told how. */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on("data", (chunk: Buffer) => chunks.push(chunk));
  res.on("end", () => done(null, Buffer.concat(chunks)));
}

function download(agent: Agent, path: string) {
  return agent.get(path).buffer(true).parse(binary);
}

function csvRows(body: Buffer): Record<string, string>[] {
  return parse(body, { bom: true, columns: true }) as Record<string, string>[];
}

async function xlsxRows(body: Buffer): Promise<Record<string, ExcelJS.CellValue>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet("Customers")!;
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    rows.push(Object.fromEntries(header.map((name, i) => [name, row.getCell(i + 1).value])));
  });
  return rows;
}

describe("customer export downloads", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function agentFor(user: User): Promise<Agent> {
    const agent = request.agent(t.app);
    await signIn(agent, user.email, defaultPassword);
    return agent;
  }

  async function shop(): Promise<{ business: Business; owner: User }> {
    const built = await buildBusiness(t.deps.models, { name: "Export Traders" });
    const { business } = built;
    await buildCustomer(t.deps.models, business, {
      name: "Asha Verma",
      email: "asha@example.test",
      phoneE164: "+919876500001",
      whatsappE164: "+447700900123",
      tags: ["vip", "wholesale"],
      consentAt: new Date("2026-10-01T00:00:00Z"),
      birthDate: "1990-04-12",
      anniversary: "2015-12-01",
    });
    await buildCustomer(t.deps.models, business, {
      name: '=HYPERLINK("http://evil.example","Click")',
      phoneE164: "+919876500002",
      tags: ["vip"],
    });
    await buildCustomer(t.deps.models, business, {
      name: "Not A Vip",
      phoneE164: "+919876500003",
      tags: ["regular"],
    });
    return built;
  }

  it("downloads the filtered customers as CSV, with formulas neutralised and phones intact", async () => {
    const { owner } = await shop();
    const agent = await agentFor(owner);
    const res = await download(agent, "/customers/export.csv?tags=vip").expect(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="?customers-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    expect(res.headers["cache-control"]).toBe("private, no-store");
    const head = await agent.head("/customers/export.csv?tags=vip").expect(200);
    expect(head.headers["content-disposition"]).toBe(res.headers["content-disposition"]);

    const rows = csvRows(res.body as Buffer);
    expect(rows.map((r) => r.name)).toEqual([
      "Asha Verma",
      `'=HYPERLINK("http://evil.example","Click")`,
    ]);
    expect(rows[0]).toEqual({
      name: "Asha Verma",
      phoneE164: "+919876500001",
      email: "asha@example.test",
      whatsappE164: "+447700900123",
      tags: "vip,wholesale",
      consentAt: "2026-10-01",
      birthDate: "1990-04-12",
      anniversary: "2015-12-01",
      ownerEmail: owner.email,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
  });

  it("downloads the same customers as XLSX, every value a string cell", async () => {
    const { owner } = await shop();
    const agent = await agentFor(owner);
    const res = await download(agent, "/customers/export.xlsx?tags=vip").expect(200);
    expect(res.headers["content-type"]).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="?customers-\d{4}-\d{2}-\d{2}\.xlsx"?$/,
    );

    const rows = await xlsxRows(res.body as Buffer);
    expect(rows.map((r) => r.name)).toEqual([
      "Asha Verma",
      `'=HYPERLINK("http://evil.example","Click")`,
    ]);
    expect(rows[0]).toMatchObject({
      phoneE164: "+919876500001",
      whatsappE164: "+447700900123",
      tags: "vip,wholesale",
      ownerEmail: owner.email,
    });
    // Every cell is text or empty: none is a formula (exceljs would read back {formula: …}).
    const notText = rows.flatMap((row) =>
      Object.values(row).filter((value) => value !== null && typeof value !== "string"),
    );
    expect(notText).toEqual([]);
    expect(Object.keys(rows[0]!)).toEqual([...exportColumns]);
  });

  it("gives sales members only the customers they own", async () => {
    const { business } = await shop();
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    await buildCustomer(t.deps.models, business, {
      name: "Seller's Own",
      phoneE164: "+919876500009",
      ownerId: seller.id,
      tags: ["vip"],
    });
    const agent = await agentFor(seller);
    const csv = await download(agent, "/customers/export.csv").expect(200);
    expect(csvRows(csv.body as Buffer).map((r) => [r.name, r.ownerEmail])).toEqual([
      ["Seller's Own", seller.email],
    ]);
    const xlsx = await download(agent, "/customers/export.xlsx?tags=vip").expect(200);
    expect((await xlsxRows(xlsx.body as Buffer)).map((r) => r.name)).toEqual(["Seller's Own"]);
  });

  it("lets marketing export everything and refuses support with 403", async () => {
    const { business } = await shop();
    const { user: marketer } = await buildMember(t.deps.models, business, "marketing");
    const { user: supporter } = await buildMember(t.deps.models, business, "support");
    const csv = await download(await agentFor(marketer), "/customers/export.csv").expect(200);
    expect(csvRows(csv.body as Buffer)).toHaveLength(3);

    const refused = await (await agentFor(supporter)).get("/customers/export.xlsx").expect(403);
    expect(refused.headers["content-disposition"]).toBeUndefined();
    expect(refused.headers["content-type"]).toMatch(/^text\/html/);
  });

  it("answers 422 to a filter it cannot read, and sends visitors to sign in", async () => {
    const { owner } = await shop();
    const agent = await agentFor(owner);
    const bad = await agent.get("/customers/export.csv?createdFrom=yesterday&upcomingDays=999");
    expect(bad.status).toBe(422);
    expect(bad.headers["content-disposition"]).toBeUndefined();
    expect(bad.text).toContain("Enter the from date as YYYY-MM-DD.");
    expect(bad.text).toContain("Use 0 to 366 days.");

    const visitor = await request(t.app).get("/customers/export.csv").expect(302);
    expect(visitor.headers.location).toBe("/login?next=%2Fcustomers%2Fexport.csv");
  });
});
