import type { Request } from "express";

/** The most of a one-click body read: the field is a few dozen bytes, multipart or not. */
const maxBytes = 16 * 1024;

async function readRest(req: Request): Promise<string> {
  if (req.readableEnded || !req.readable) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Whether a POST carries RFC 8058's `List-Unsubscribe=One-Click`. Form-encoded bodies are parsed
 * by the public endpoints' body step; multipart/form-data (which RFC 8058 also allows) is read
 * here, as text, since it holds no file.
 */
export async function isOneClickBody(req: Request): Promise<boolean> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body["List-Unsubscribe"] === "One-Click") return true;
  if (!req.is("multipart/form-data")) return false;
  const text = await readRest(req);
  return /name="List-Unsubscribe"\r?\n\r?\nOne-Click\r?\n/.test(text);
}
