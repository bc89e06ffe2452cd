import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { createInflateRaw } from "node:zlib";
import { SpreadsheetError } from "./types";

/**
 * Checks an XLSX (a ZIP archive) before exceljs unzips it, so a zip bomb ends in a clear error
 * instead of filling memory or disk: the entry count and declared sizes from the central
 * directory first, then every entry is really inflated (output counted and dropped) and must
 * match its declared size. Entries must also lie end to end as the directory says, because
 * exceljs's unzipper walks the local headers in order and would see anything hidden between
 * them. The same pass lists the sheets and counts each sheet's rows.
 */
export interface ZipLimits {
  maxUnzippedBytes: number;
  maxEntries?: number;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  offset: number;
}

export interface SheetInfo {
  name: string;
  /** N of xl/worksheets/sheetN.xml: how exceljs names the sheet's part. */
  part: string;
  hidden: boolean;
  /** `<row>` elements in the sheet (blank rows included): an upper bound of its rows. */
  rows: number;
}

const messages = {
  notZip: "The file is not a valid Excel workbook (.xlsx): it could not be unzipped.",
  notWorkbook: "The file is a ZIP archive but not an Excel workbook (.xlsx).",
  zip64: "The workbook is too large to read (ZIP64). Save it as CSV instead.",
  encrypted: "The workbook is password-protected. Remove the password and upload it again.",
  tooManyParts: "The workbook has too many parts to be a customer list.",
  tooBig: (limit: number) =>
    `The workbook expands to more than ${Math.round(limit / 1e6)} MB when unzipped; it is refused as a possible zip bomb. Save it as CSV instead.`,
  corrupt: "The workbook is damaged: its parts do not match its table of contents.",
  noSheets: "The workbook has no sheets.",
};

const maxKeptBytes = 5_000_000;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new SpreadsheetError(messages.notZip);
  return buffer;
}

async function centralDirectory(handle: FileHandle, fileSize: number, maxEntries: number) {
  const tailLength = Math.min(fileSize, 22 + 65_535);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new SpreadsheetError(messages.notZip);
  const count = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  const offset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff)
    throw new SpreadsheetError(messages.zip64);
  if (count > maxEntries) throw new SpreadsheetError(messages.tooManyParts);
  if (offset + size > fileSize) throw new SpreadsheetError(messages.notZip);
  const directory = await readAt(handle, offset, size);
  const entries: Entry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== 0x02014b50)
      throw new SpreadsheetError(messages.notZip);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    entries.push({
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      offset: directory.readUInt32LE(at + 42),
      name: directory.toString("utf8", at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { entries, directoryOffset: offset };
}

/** Where each entry's data starts, checking the local headers tile the file up to the directory. */
async function dataOffsets(handle: FileHandle, entries: Entry[], directoryOffset: number) {
  const sorted = [...entries].sort((a, b) => a.offset - b.offset);
  const starts = new Map<Entry, number>();
  let expected = 0;
  for (const entry of sorted) {
    if (entry.offset !== expected) throw new SpreadsheetError(messages.corrupt);
    const header = await readAt(handle, entry.offset, 30);
    if (header.readUInt32LE(0) !== 0x04034b50) throw new SpreadsheetError(messages.corrupt);
    const start = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    starts.set(entry, start);
    expected = start + entry.compressedSize;
    if (entry.flags & 0x08) {
      // A data descriptor follows the data: 12 bytes, or 16 with its optional signature.
      const descriptor = await readAt(handle, expected, 4);
      expected += descriptor.readUInt32LE(0) === 0x08074b50 ? 16 : 12;
    }
  }
  if (expected !== directoryOffset) throw new SpreadsheetError(messages.corrupt);
  return starts;
}

/** Inflates one entry, handing each piece of output to `sink`; returns the bytes produced. */
async function inflateEntry(
  file: string,
  entry: Entry,
  start: number,
  budget: { bytes: number; message: string },
  sink: (chunk: Buffer) => void,
): Promise<number> {
  if (entry.compressedSize === 0) return 0;
  const raw = createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  const source = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  raw.on("error", (error) => source.destroy(error));
  let produced = 0;
  try {
    for await (const chunk of source) {
      const piece = chunk as Buffer;
      produced += piece.length;
      if (produced > entry.size) throw new SpreadsheetError(messages.corrupt);
      if (produced > budget.bytes) throw new SpreadsheetError(budget.message);
      sink(piece);
    }
  } catch (error) {
    if (error instanceof SpreadsheetError) throw error;
    throw new SpreadsheetError(messages.notZip);
  } finally {
    raw.destroy();
    source.destroy();
  }
  return produced;
}

/** Counts `<row ` / `<row>` / `<row/>` openings across chunk boundaries. */
function rowCounter() {
  let count = 0;
  let carry = "";
  return {
    push(chunk: Buffer) {
      const text = carry + chunk.toString("latin1");
      let at = text.indexOf("<row");
      while (at >= 0 && at + 4 < text.length) {
        const next = text[at + 4];
        if (next === " " || next === ">" || next === "/") count++;
        at = text.indexOf("<row", at + 4);
      }
      carry = text.slice(-4);
    },
    get count() {
      return count;
    },
  };
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeXml(match[1] as string) : null;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
}

function listSheets(workbookXml: string, relsXml: string, rows: Map<string, number>): SheetInfo[] {
  const targets = new Map<string, string>();
  for (const tag of relsXml.match(/<Relationship\b[^>]*>/g) ?? []) {
    const id = attribute(tag, "Id");
    const target = attribute(tag, "Target");
    if (id && target) targets.set(id, target);
  }
  const sheets: SheetInfo[] = [];
  for (const tag of workbookXml.match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const name = attribute(tag, "name");
    const relId = /\s\w+:id="([^"]*)"/.exec(tag)?.[1];
    const part = /sheet(\d+)\.xml$/.exec(targets.get(relId ?? "") ?? "")?.[1];
    if (!name || !part) continue;
    sheets.push({
      name,
      part,
      hidden: attribute(tag, "state") !== null && attribute(tag, "state") !== "visible",
      rows: rows.get(part) ?? 0,
    });
  }
  return sheets;
}

/** Verifies the archive and lists its sheets (workbook order), or throws SpreadsheetError. */
export async function inspectWorkbook(file: string, limits: ZipLimits): Promise<SheetInfo[]> {
  const handle = await open(file, "r");
  let entries: Entry[];
  let starts: Map<Entry, number>;
  try {
    const { size } = await handle.stat();
    const directory = await centralDirectory(handle, size, limits.maxEntries ?? 2000);
    entries = directory.entries;
    let declared = 0;
    for (const entry of entries) {
      if (entry.flags & 0x01) throw new SpreadsheetError(messages.encrypted);
      if (entry.method !== 0 && entry.method !== 8) throw new SpreadsheetError(messages.notZip);
      declared += entry.size;
    }
    if (declared > limits.maxUnzippedBytes)
      throw new SpreadsheetError(messages.tooBig(limits.maxUnzippedBytes));
    starts = await dataOffsets(handle, entries, directory.directoryOffset);
  } finally {
    await handle.close();
  }

  let left = limits.maxUnzippedBytes;
  const texts = new Map<string, string>();
  const rows = new Map<string, number>();
  for (const entry of entries) {
    const sheetPart = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(entry.name)?.[1];
    const keep = entry.name === "xl/workbook.xml" || entry.name === "xl/_rels/workbook.xml.rels";
    const kept: Buffer[] = [];
    const counter = rowCounter();
    // The workbook's table of sheets is kept in memory: a huge one is no workbook we can read.
    if (keep && entry.size > maxKeptBytes) throw new SpreadsheetError(messages.notWorkbook);
    const tooBig = messages.tooBig(limits.maxUnzippedBytes);
    const start = starts.get(entry) as number;
    const produced = await inflateEntry(
      file,
      entry,
      start,
      { bytes: left, message: tooBig },
      (chunk) => {
        if (keep) kept.push(chunk);
        if (sheetPart) counter.push(chunk);
      },
    );
    if (produced !== entry.size) throw new SpreadsheetError(messages.corrupt);
    left -= produced;
    if (keep) texts.set(entry.name, Buffer.concat(kept).toString("utf8"));
    if (sheetPart) rows.set(sheetPart, counter.count);
  }
  const workbook = texts.get("xl/workbook.xml");
  const rels = texts.get("xl/_rels/workbook.xml.rels");
  if (!workbook || !rels) throw new SpreadsheetError(messages.notWorkbook);
  const sheets = listSheets(workbook, rels, rows);
  if (sheets.length === 0) throw new SpreadsheetError(messages.noSheets);
  return sheets;
}
