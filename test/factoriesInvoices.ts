import { execFile } from "node:child_process";
import type { CreationAttributes } from "sequelize";
import { projectRoot } from "../src/config";
import type { BillingDetails, Business, Models } from "../src/models";

/** Billing details of `business` (a Maharashtra GSTIN unless overridden). */
export async function buildBillingDetails(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<BillingDetails>> = {},
): Promise<BillingDetails> {
  return models.BillingDetails.create({
    businessId: business.id,
    legalName: `${business.name} Private Limited`,
    address: "12 Linking Road, Bandra West, Mumbai, Maharashtra 400050",
    gstin: "27AAPFU0939F1ZV",
    stateCode: "27",
    ...overrides,
  });
}

/**
 * pdf-parse v2 in a plain Node process: its PDF.js loads a worker module by dynamic import, which
 * Jest's module sandbox refuses (it would need --experimental-vm-modules).
 */
const readText = `
const { PDFParse } = require("pdf-parse");
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try {
    const result = await parser.getText();
    process.stdout.write(result.text);
  } finally {
    await parser.destroy();
  }
});`;

/** The text of a PDF as a reader sees it (pdf-parse v2 getText), pages joined. */
export function pdfText(content: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["-e", readText],
      { cwd: projectRoot, maxBuffer: 10 * 1024 * 1024, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`pdf-parse failed: ${stderr || error.message}`));
        else resolve(stdout);
      },
    );
    child.stdin?.end(content);
  });
}

/**
 * The last serial issued in a series and financial year (0 before the first). A MariaDB test
 * database outlives a run, so tests expect numbers relative to it, never from 1.
 */
export async function lastSerial(models: Models, series: string, financialYear: string) {
  const counter = await models.InvoiceCounter.findOne({ where: { series, financialYear } });
  return counter?.lastNumber ?? 0;
}
