import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { buildBusiness, buildUser } from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import {
  countsOf,
  importFile,
  sampleXlsx,
  tempDir,
  testImportDeps,
  uploadFile,
  inspectById,
} from "../../../test/support/imports";
import { workbookParts, zipBuffer } from "../../../test/support/zip";
import { parseInspection } from "./fields";

/** Files of every kind people upload: each imports, or ends in a clear message. */
const db = useTestDatabase();
const dir = tempDir("crm-import-files-");

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

async function world() {
  const owner = await buildUser(db.current.models, { planCode: "gold" });
  const { business } = await buildBusiness(db.current.models, { owner, country: "IN" });
  return { business, owner, deps: testImportDeps(db.current) };
}

/** Uploads and inspects: the import as the mapping page would see it. */
async function inspected(name: string, content: string | Buffer, limits = {}) {
  const { business, owner } = await world();
  const deps = testImportDeps(db.current, limits);
  const upload = await uploadFile(deps, business, owner, file(name, content), { name });
  return (await inspectById(deps, upload.id))!;
}

async function customersOf(businessId: number) {
  return db.current.models.Customer.findAll({
    where: { businessId },
    order: [["id", "ASC"]],
    include: [{ model: db.current.models.Tag, as: "tags" }],
  });
}

describe("CSV files", () => {
  it("reads a BOM, semicolons, CRLF, quotes and line breaks inside quotes", async () => {
    const { business, owner, deps } = await world();
    const csv =
      "\uFEFFFull name;Mobile;E-mail;Tags;Notes\r\n" +
      '"Shah; Suresh";98765 43210;S.Shah@Example.com;"vip, premium";"said ""hello""\r\nthen left"\r\n' +
      "\r\n" +
      ";;;;\r\n" +
      "Anita Das;+44 20 7946 0958;;;\r\n";
    const record = await importFile(deps, business, owner, file("semi.csv", csv));
    expect(await countsOf(db.current.models, record.id)).toMatchObject({
      status: "completed",
      created: 2,
      failed: 0,
    });
    const [suresh, anita] = await customersOf(business.id);
    expect(suresh).toMatchObject({
      name: "Shah; Suresh",
      phoneE164: "+919876543210",
      email: "s.shah@example.com",
    });
    expect(suresh?.tags?.map((t) => t.name).sort()).toEqual(["premium", "vip"]);
    // A number in + form keeps its own country.
    expect(anita).toMatchObject({
      name: "Anita Das",
      phoneE164: "+442079460958",
      whatsappE164: "+442079460958",
    });
  });

  it("finds tab-separated columns by their aliases", async () => {
    const record = await inspected(
      "tabs.tsv",
      "Customer Name\tPhone Number\tEmail Address\tDOB\tWedding anniversary\tConsent\tWhatsApp\n" +
        "Ravi Kumar\t9876543210\travi@example.com\t1990-05-01\t2015-11-22\t2026-01-01\t\n",
    );
    expect(record.status).toBe("ready");
    expect(JSON.parse(record.settings).mapping).toEqual({
      name: 0,
      phone: 1,
      email: 2,
      birthDate: 3,
      anniversary: 4,
      consentAt: 5,
      whatsapp: 6,
      tags: null,
    });
  });

  it.each([
    ["an empty file", "empty.csv", "", /The file is empty/],
    ["a header without rows", "header.csv", "name,phone\r\n\r\n", /header row but no customers/],
    ["a PDF", "report.pdf", "%PDF-1.4", /Upload a CSV file/],
    [
      "an old Excel file",
      "old.xls",
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]),
      /old Excel file/,
    ],
    [
      "binary data named .csv",
      "photo.csv",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      /not a spreadsheet/,
    ],
    [
      "Latin-1 text",
      "latin.csv",
      Buffer.from("name,phone\nJos\xe9,9876543210\n", "latin1"),
      /not UTF-8/,
    ],
    ["UTF-16 text", "utf16.csv", Buffer.from("\ufeffname,phone\n", "utf16le"), /UTF-16/],
    [
      "an unclosed quote",
      "quote.csv",
      'name,phone\n"Ravi,9876543210\n',
      /quote that is never closed/,
    ],
  ])("refuses %s with a clear message", async (_label, name, content, message) => {
    const { business, owner, deps } = await world();
    const record = await importFile(deps, business, owner, file(name, content)).catch(
      (error: Error) => error,
    );
    const text =
      record instanceof Error ? record.message : `${record.status}: ${record.errorMessage}`;
    expect(text).toMatch(message);
    if (!(record instanceof Error)) expect(record.status).toBe("failed");
    expect(await db.current.models.Customer.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("refuses more rows than one import takes, before importing any", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `P${i},98765${String(i).padStart(5, "0")}`);
    const record = await inspected("many.csv", `name,phone\n${rows.join("\n")}\n`, { maxRows: 20 });
    expect(record.status).toBe("failed");
    expect(record.errorMessage).toMatch(/30 rows; one import takes at most 20/);
  });
});

describe("XLSX files", () => {
  it("reads the chosen sheet: numeric phone cells, date cells, blank rows ignored", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Notes").addRow(["nothing to import here"]);
    const sheet = workbook.addWorksheet("Customers");
    sheet.addRow(["Name", "Mobile", "DOB", "Consent"]);
    sheet.addRow(["Ravi Kumar", 9876543210, new Date(Date.UTC(1990, 4, 1)), 46244]);
    sheet.addRow([]);
    sheet.addRow(["Meena Iyer", 9876500001, null, "2026-02-03"]);
    sheet.getCell("C2").numFmt = "yyyy-mm-dd";
    const target = path.join(dir, "two-sheets.xlsx");
    await workbook.xlsx.writeFile(target);

    // Without a choice, the first sheet with customers under its header is read.
    const found = await inspected("two-sheets.xlsx", readFileSync(target));
    expect(parseInspection(found.inspection)?.sheet).toBe("Customers");
    // Chosen explicitly, an empty sheet says so.
    const { business: b, owner: o, deps: d } = await world();
    const notes = await uploadFile(d, b, o, target, { sheet: "Notes" });
    expect((await inspectById(d, notes.id))?.errorMessage).toMatch(/header row but no customers/);

    const { business, owner, deps } = await world();
    const record = await importFile(deps, business, owner, target, { sheet: "Customers" });
    expect(parseInspection(record.inspection)).toMatchObject({
      headers: ["Name", "Mobile", "DOB", "Consent"],
      sheets: ["Notes", "Customers"],
      sheet: "Customers",
    });
    expect(await countsOf(db.current.models, record.id)).toMatchObject({ created: 2, failed: 0 });
    const [ravi, meena] = await customersOf(business.id);
    expect(ravi).toMatchObject({ phoneE164: "+919876543210", birthDate: "1990-05-01" });
    // 46244 is an Excel serial day: 2026-08-10.
    expect(ravi?.consentAt?.toISOString().slice(0, 10)).toBe("2026-08-10");
    expect(meena).toMatchObject({ phoneE164: "+919876500001", birthDate: null });
  });

  it("refuses a zip bomb before unzipping it for real", async () => {
    const rows = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(60_000);
    const sheet = `<worksheet><sheetData>${rows}</sheetData></worksheet>`;
    const bomb = zipBuffer(workbookParts(sheet));
    const record = await inspected("bomb.xlsx", bomb, { maxUnzippedBytes: 1_000_000 });
    expect(record.status).toBe("failed");
    expect(record.errorMessage).toMatch(/expands to more than 1 MB when unzipped.*zip bomb/);
  });

  it("refuses an entry that unzips to more than it declares", async () => {
    const sheet = `<worksheet><sheetData>${"<row/>".repeat(100_000)}</sheetData></worksheet>`;
    const liar = zipBuffer(workbookParts(sheet, 1000));
    const record = await inspected("liar.xlsx", liar);
    expect(record.status).toBe("failed");
    expect(record.errorMessage).toMatch(/damaged/);
  });

  it("refuses a workbook of too many parts", async () => {
    const parts = Array.from({ length: 2100 }, (_, i) => ({ name: `junk/${i}.xml`, data: "x" }));
    const record = await inspected(
      "parts.xlsx",
      zipBuffer([...workbookParts("<worksheet/>"), ...parts]),
    );
    expect(record.errorMessage).toMatch(/too many parts/);
  });

  it("refuses a truncated workbook", async () => {
    const whole = readFileSync(sampleXlsx);
    const record = await inspected("cut.xlsx", whole.subarray(0, whole.length / 2));
    expect(record.status).toBe("failed");
    expect(record.errorMessage).toMatch(/not a valid Excel workbook/);
  });
});
