import type { Response } from "express";
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { VisitorCall } from "../../http/endpoint";
import {
  headersOf,
  listOutbox,
  outboxDir,
  readOutboxEntry,
  readOutboxSource,
  type OutboxEntry,
} from "../../integrations/mail/outbox";

/** The page shows the newest messages only; the folder keeps growing in development. */
const listLimit = 200;

/**
 * Only for the e-mail body shown in the iframe: mail HTML relies on inline styles, so they are
 * allowed there, and nothing else (no script, no forms, no plugins); the sandbox header keeps it
 * in an opaque origin even when opened directly.
 */
const messageHtmlPolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-popups allow-popups-to-escape-sandbox",
].join("; ");

function shownDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function present(entry: OutboxEntry) {
  return {
    id: entry.id,
    to: entry.to,
    subject: entry.subject,
    template: entry.template,
    date: shownDate(entry.date),
  };
}

function links(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}

/** Mail in the outbox holds live sign-in links: never cache or index these pages. */
function noStore(res: Response): void {
  res.set("Cache-Control", "no-store");
  res.set("X-Robots-Tag", "noindex");
}

/** The outbox folder of this process's settings. */
const dirOf = (deps: Deps) => outboxDir(deps.config.varDir);

/** An outbox message id in a path (the file name the mailer gave it). */
export const messageParams = z.object({ id: z.string().min(1).max(200) });
type MessageCall = VisitorCall<{ params: typeof messageParams }>;

/** GET /dev/outbox: the newest messages the embedded mailer wrote to var/outbox. */
export async function showOutbox({ res, deps }: VisitorCall) {
  noStore(res);
  const messages = (await listOutbox(dirOf(deps), { limit: listLimit })).map(present);
  res.render("dev/outbox", {
    layout: "public",
    title: "Outbox",
    messages,
    limit: listLimit,
    smtp: Boolean(deps.config.SMTP_URL),
  });
}

/** GET /dev/outbox/:id */
export async function showMessage({ res, deps, params }: MessageCall) {
  const dir = dirOf(deps);
  const [entry, source] = await Promise.all([
    readOutboxEntry(dir, params.id),
    readOutboxSource(dir, params.id),
  ]);
  if (!entry || !source) throw AppError.notFound();
  noStore(res);
  res.render("dev/message", {
    layout: "public",
    title: entry.subject,
    message: present(entry),
    headers: headersOf(source).map(([name, value]) => ({ name, value })),
    textLines: entry.text.split("\n"),
    links: links(entry.text),
  });
}

/** GET /dev/outbox/:id/html: the message's HTML, sandboxed. */
export async function showMessageHtml({ res, deps, params }: MessageCall) {
  const entry = await readOutboxEntry(dirOf(deps), params.id);
  if (!entry) throw AppError.notFound();
  noStore(res);
  res.set("Content-Security-Policy", messageHtmlPolicy);
  // Links open in a new tab rather than inside the small frame.
  const html = entry.html.replace(/<head([^>]*)>/i, '<head$1><base target="_blank">');
  res.type("html").send(html);
}

/** GET /dev/outbox/:id/source: the .eml file. */
export async function downloadSource({ res, deps, params }: MessageCall) {
  const source = await readOutboxSource(dirOf(deps), params.id);
  if (!source) throw AppError.notFound();
  noStore(res);
  res.attachment(`${params.id}.eml`).type("message/rfc822").send(source);
}
