import path from "node:path";
import { SpreadsheetError, type SpreadsheetFormat } from "./types";

/**
 * What a file is, from its first bytes: a ZIP (an XLSX), or text we can read as CSV. The name's
 * extension must be one we take, but the content decides the format, so a workbook saved with
 * a .csv name still imports. Everything else gets a message that says what to do instead.
 */
export const acceptedExtensions = [".csv", ".txt", ".tsv", ".xlsx"];

const messages = {
  extension: "Upload a CSV file (.csv) or an Excel workbook (.xlsx).",
  empty: "The file is empty.",
  xls: "This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or as CSV UTF-8.",
  utf16: "The file is UTF-16 text. Save it as CSV UTF-8 (in Excel: Save As → CSV UTF-8).",
  binary: "The file is not a spreadsheet: it is neither CSV text nor an Excel workbook.",
  encoding:
    "The file is not UTF-8 text. Save it as CSV UTF-8 (in Excel: Save As → CSV UTF-8) and upload it again.",
  notWorkbook:
    "The file is named .xlsx but is not an Excel workbook. Open it in Excel and save it as .xlsx, or upload a CSV file named .csv.",
};

const signatures: Array<[number[], string]> = [
  [[0xd0, 0xcf, 0x11, 0xe0], messages.xls],
  [[0xff, 0xfe], messages.utf16],
  [[0xfe, 0xff], messages.utf16],
  [[0x25, 0x50, 0x44, 0x46], messages.binary], // %PDF
  [[0x89, 0x50, 0x4e, 0x47], messages.binary], // PNG
  [[0xff, 0xd8, 0xff], messages.binary], // JPEG
  [[0x1f, 0x8b], messages.binary], // gzip
];

function startsWith(head: Buffer, bytes: number[]): boolean {
  return bytes.every((byte, i) => head[i] === byte);
}

export function checkExtension(fileName: string): void {
  const extension = path.extname(fileName).toLowerCase();
  if (extension === ".xls") throw new SpreadsheetError(messages.xls);
  if (!acceptedExtensions.includes(extension)) throw new SpreadsheetError(messages.extension);
}

/**
 * The format of a file whose first bytes are `head` (up to 64 KB), or SpreadsheetError. With the
 * upload's name: a file named .xlsx must be a workbook — text under that name is a renamed file
 * (read as CSV it would be one odd column), refused like an image is.
 */
export function detectFormat(head: Buffer, fileName?: string): SpreadsheetFormat {
  if (head.length === 0) throw new SpreadsheetError(messages.empty);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "xlsx";
  if (fileName && path.extname(fileName).toLowerCase() === ".xlsx") {
    for (const [bytes, message] of signatures)
      if (startsWith(head, bytes)) throw new SpreadsheetError(message);
    throw new SpreadsheetError(messages.notWorkbook);
  }
  for (const [bytes, message] of signatures) {
    if (startsWith(head, bytes)) throw new SpreadsheetError(message);
  }
  if (head.includes(0)) throw new SpreadsheetError(messages.binary);
  try {
    // stream: the sample may end inside a multi-byte character.
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: true });
  } catch {
    throw new SpreadsheetError(messages.encoding);
  }
  return "csv";
}
