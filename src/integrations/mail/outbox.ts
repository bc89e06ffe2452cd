import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The embedded mail "server": each message is <id>.eml (the RFC 822 source, as SMTP would carry
 * it) plus <id>.json with the parts the dev page and tests read, so nothing has to parse MIME.
 * Ids start with the UTC time, so sorting names sorts by time.
 */
export interface OutboxEntry {
  id: string;
  to: string;
  from: string;
  subject: string;
  /** ISO time the message was written. */
  date: string;
  template: string;
  messageId: string;
  text: string;
  html: string;
}

/** 20261122T101112345Z-1a2b3c4d: compact UTC time to the millisecond, then 8 random hex digits. */
const idPattern = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

export function isOutboxId(id: string): boolean {
  return idPattern.test(id);
}

export function outboxDir(varDir: string): string {
  return path.join(varDir, "outbox");
}

/** The time part of an id; ids of later messages compare greater. */
export function outboxTimeKey(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

export function newOutboxId(now = new Date()): string {
  return `${outboxTimeKey(now)}-${randomBytes(4).toString("hex")}`;
}

/**
 * Writes the source first and the JSON last, each through a rename, so a reader that sees the
 * JSON (tests poll for it from other processes) always finds both files complete.
 */
export async function writeToOutbox(
  dir: string,
  entry: Omit<OutboxEntry, "id" | "date">,
  source: Buffer,
  now = new Date(),
): Promise<OutboxEntry> {
  await mkdir(dir, { recursive: true });
  const id = newOutboxId(now);
  const saved: OutboxEntry = { id, date: now.toISOString(), ...entry };
  await writeAtomically(path.join(dir, `${id}.eml`), source);
  await writeAtomically(path.join(dir, `${id}.json`), JSON.stringify(saved, null, 2));
  return saved;
}

async function writeAtomically(file: string, content: string | Buffer): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, file);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

export interface ListOptions {
  /** Newest this many (default: all). */
  limit?: number;
  /** Only messages written at or after this time. */
  since?: Date;
}

/** Messages, newest first. A missing folder is an empty outbox. */
export async function listOutbox(dir: string, options: ListOptions = {}): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const sinceKey = options.since ? outboxTimeKey(options.since) : "";
  const ids = names
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .filter((id) => isOutboxId(id) && id >= sinceKey)
    .sort()
    .reverse()
    .slice(0, options.limit ?? Infinity);
  const entries = await Promise.all(ids.map((id) => readOutboxEntry(dir, id)));
  return entries.filter((entry): entry is OutboxEntry => entry !== null);
}

/** One message, or null when the id is malformed or unknown (never a path outside the folder). */
export async function readOutboxEntry(dir: string, id: string): Promise<OutboxEntry | null> {
  if (!isOutboxId(id)) return null;
  try {
    return JSON.parse(await readFile(path.join(dir, `${id}.json`), "utf8")) as OutboxEntry;
  } catch (error) {
    // Someone may have emptied the folder between listing and reading.
    if (isMissing(error)) return null;
    throw error;
  }
}

export async function readOutboxSource(dir: string, id: string): Promise<Buffer | null> {
  if (!isOutboxId(id)) return null;
  try {
    return await readFile(path.join(dir, `${id}.eml`));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** The header block of a message source, unfolded, in order ([name, value] pairs). */
export function headersOf(source: Buffer): Array<[string, string]> {
  const raw = source.toString("utf8");
  const end = raw.search(/\r?\n\r?\n/);
  const block = (end === -1 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const headers: Array<[string, string]> = [];
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return headers;
}
