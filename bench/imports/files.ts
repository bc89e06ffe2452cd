import { createWriteStream, existsSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";

/**
 * The benchmark's input files, made once under var/bench: customers like the sample file (name,
 * 10-digit Indian mobile, e-mail, WhatsApp — the phone's own in ~85% of rows —, 1–2 tags, consent
 * date). The XLSX has numeric phone cells and date cells, as spreadsheets exported by people do.
 */
const first = [
  "Suresh",
  "Lakshmi",
  "Sneha",
  "Harish",
  "Priya",
  "Amit",
  "Kavya",
  "Rahul",
  "Anita",
  "Vikram",
];
const last = ["Shah", "Singh", "Menon", "Gupta", "Iyer", "Patel", "Nair", "Rao", "Das", "Joshi"];
const tags = ["vip", "regular", "premium", "new", "trial", "loyal", "frequent"];

export interface BenchRow {
  name: string;
  phone: string;
  email: string;
  whatsapp: string;
  tags: string;
  consentAt: string;
}

/** Row i of every file: unique phones spread over 6…–9… numbers. */
export function benchRow(i: number): BenchRow {
  const name = `${first[i % 10]} ${last[Math.floor(i / 10) % 10]}`;
  const phone = String(6_000_000_000 + i * 3_997);
  const whatsapp = i % 7 === 3 ? String(9_999_999_999 - i * 3_989) : phone;
  const tagList = i % 3 === 0 ? `${tags[i % 7]},${tags[(i + 3) % 7]}` : (tags[i % 7] as string);
  const month = String(5 + (i % 6)).padStart(2, "0");
  const day = String(1 + (i % 28)).padStart(2, "0");
  return {
    name,
    phone,
    email: `${name.toLowerCase().replace(" ", ".")}${i}@example.com`,
    whatsapp,
    tags: tagList,
    consentAt: `2026-${month}-${day}`,
  };
}

const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(`${file}.part`);
  let chunk = "name,phoneE164,email,whatsappE164,tags,consentAt\n";
  for (let i = 0; i < rows; i++) {
    const r = benchRow(i);
    chunk += `${r.name},${r.phone},${r.email},${r.whatsapp},${quote(r.tags)},${r.consentAt}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk))
        await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      chunk = "";
    }
  }
  await new Promise<void>((resolve, reject) => out.end(chunk, () => resolve()).on("error", reject));
  renameSync(`${file}.part`, file);
}

async function writeXlsx(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: `${file}.part`,
    useSharedStrings: true,
    useStyles: true,
  });
  const sheet = workbook.addWorksheet("Customers");
  sheet.columns = [
    { header: "Name", key: "name" },
    { header: "Mobile", key: "phone" },
    { header: "E-mail", key: "email" },
    { header: "WhatsApp", key: "whatsapp" },
    { header: "Tags", key: "tags" },
    { header: "Consent", key: "consentAt", style: { numFmt: "yyyy-mm-dd" } },
  ];
  for (let i = 0; i < rows; i++) {
    const r = benchRow(i);
    sheet
      .addRow({
        ...r,
        phone: Number(r.phone),
        whatsapp: Number(r.whatsapp),
        consentAt: new Date(`${r.consentAt}T00:00:00Z`),
      })
      .commit();
  }
  sheet.commit();
  await workbook.commit();
  renameSync(`${file}.part`, file);
}

/** The file, generated when missing. */
export async function benchFile(dir: string, kind: "csv" | "xlsx", rows: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `imports-${rows}.${kind}`);
  if (!existsSync(file)) await (kind === "csv" ? writeCsv(file, rows) : writeXlsx(file, rows));
  return file;
}
